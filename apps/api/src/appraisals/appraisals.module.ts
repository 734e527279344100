import { Module } from '@nestjs/common';
import { IssuesModule } from '../issues/issues.module';
import { AppraisalsController } from './appraisals.http.controller';
import { AppraisalService } from './appraisal.service';
import { AppraisalRepository } from './appraisal.repository';
import { CampaignStates } from './campaign-states';
import { AppraisalCommentsQuery } from './queries/appraisal-comments.query';
import { AppraisalResultsQuery } from './queries/appraisal-results.query';
import { BallotAuthGuard } from './ballot-auth.guard';

@Module({
  imports: [IssuesModule],
  controllers: [AppraisalsController],
  providers: [
    AppraisalService,
    AppraisalRepository,
    CampaignStates,
    AppraisalResultsQuery,
    AppraisalCommentsQuery,
    BallotAuthGuard,
  ],
  exports: [AppraisalResultsQuery],
})
export class AppraisalsModule {}
