import { Module } from '@nestjs/common';
import { IssuesModule } from '../issues/issues.module';
import { AssignmentBatchesController } from './assignment-batches.http.controller';
import { AssignmentBatchService } from './assignment-batch.service';

@Module({ imports: [IssuesModule], controllers: [AssignmentBatchesController], providers: [AssignmentBatchService] })
export class AssignmentBatchesModule {}
