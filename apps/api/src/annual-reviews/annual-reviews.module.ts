import { Module } from '@nestjs/common';
import { AnnualReviewsController } from './annual-reviews.http.controller';
import { AnnualReviewRepository } from './annual-review.repository';
import { AnnualReviewService } from './annual-review.service';
import { AnnualReviewResultsQuery } from './queries/annual-review-results.query';

@Module({
  controllers: [AnnualReviewsController],
  providers: [AnnualReviewService, AnnualReviewRepository, AnnualReviewResultsQuery],
})
export class AnnualReviewsModule {}
