import { Module } from '@nestjs/common';
import { InboxController } from './inbox.http.controller';
import { MarkNotificationReadHandler } from './commands/mark-notification-read/mark-notification-read.command';

@Module({ controllers: [InboxController], providers: [MarkNotificationReadHandler] })
export class InboxModule {}
