import { Module } from '@nestjs/common';
import { AppraisalsController } from './appraisals.http.controller';
import { ExecuteAppraisalCommandHandler } from './commands/execute-appraisal-command';
import { CastBallotHandler } from './commands/cast-ballot.command';
import { CampaignStates } from './campaign-states';
import { AppraisalResultsQuery } from './queries/appraisal-results.query';
import { BallotAuthGuard } from './ballot-auth.guard';

@Module({
  controllers: [AppraisalsController],
  providers: [
    ExecuteAppraisalCommandHandler,
    CastBallotHandler,
    CampaignStates,
    AppraisalResultsQuery,
    BallotAuthGuard,
  ],
})
export class AppraisalsModule {}
