import { Module } from '@nestjs/common';
import { NoticesController } from './notices.http.controller';
import { NoticeService } from './notice.service';
import { GetNoticeQueryHandler, ListNoticesQueryHandler } from './queries/notice.queries';

@Module({
  controllers: [NoticesController],
  providers: [NoticeService, GetNoticeQueryHandler, ListNoticesQueryHandler],
})
export class NoticesModule {}
