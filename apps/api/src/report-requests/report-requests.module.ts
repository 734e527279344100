import { Module } from '@nestjs/common';
import { ReportRequestsController } from './report-requests.http.controller';
import { ReportRequestService } from './report-request.service';
import { GetReportRequestQueryHandler, ListReportRequestsQueryHandler } from './queries/report-request.queries';

@Module({
  controllers: [ReportRequestsController],
  providers: [ReportRequestService, GetReportRequestQueryHandler, ListReportRequestsQueryHandler],
})
export class ReportRequestsModule {}
