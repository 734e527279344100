import { Module } from '@nestjs/common';
import { AuditController } from './audit.http.controller';
import { AuditService } from './audit.service';
import { ImportController } from './import.http.controller';

@Module({
  controllers: [AuditController, ImportController],
  providers: [AuditService],
})
export class AuditModule {}
