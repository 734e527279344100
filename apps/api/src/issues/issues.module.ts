import { Module } from '@nestjs/common';
import { IssuesController } from './issues.http.controller';
import { IssueService } from './issue.service';
import { GetIssueQueryHandler } from './queries/get-issue.query';
import { GetIssueHistoryQueryHandler } from './queries/get-issue-history.query';
import { ListIssuesQueryHandler } from './queries/list-issues.query';

@Module({
  controllers: [IssuesController],
  providers: [IssueService, GetIssueQueryHandler, GetIssueHistoryQueryHandler, ListIssuesQueryHandler],
  exports: [IssueService],
})
export class IssuesModule {}
