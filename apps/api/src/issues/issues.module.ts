import { Module } from '@nestjs/common';
import { IssuesController } from './issues.http.controller';
import { ExecuteIssueCommandHandler } from './commands/execute-issue-command';
import { GetIssueQueryHandler } from './queries/get-issue.query';
import { GetIssueHistoryQueryHandler } from './queries/get-issue-history.query';
import { ListIssuesQueryHandler } from './queries/list-issues.query';
import { workingCalendarProvider } from './working-calendar.provider';

@Module({
  controllers: [IssuesController],
  providers: [
    ExecuteIssueCommandHandler,
    GetIssueQueryHandler,
    GetIssueHistoryQueryHandler,
    ListIssuesQueryHandler,
    workingCalendarProvider,
  ],
})
export class IssuesModule {}
