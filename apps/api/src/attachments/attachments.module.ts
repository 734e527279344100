import { Global, Module } from '@nestjs/common';
import { AttachmentService } from './attachment.service';
import { AttachmentsController } from './attachments.http.controller';

/** Global: the issue service resolves the evidence ids of its commands through AttachmentService. */
@Global()
@Module({
  controllers: [AttachmentsController],
  providers: [AttachmentService],
  exports: [AttachmentService],
})
export class AttachmentsModule {}
