import { Module } from '@nestjs/common';
import { InboxController } from './inbox.http.controller';

@Module({ controllers: [InboxController] })
export class InboxModule {}
