import { Module } from '@nestjs/common';
import { InboxController } from './inbox.http.controller';
import { InboxService } from './inbox.service';

@Module({ controllers: [InboxController], providers: [InboxService] })
export class InboxModule {}
