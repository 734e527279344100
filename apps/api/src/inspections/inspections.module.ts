import { Module } from '@nestjs/common';
import { IssuesModule } from '../issues/issues.module';
import { InspectionsController } from './inspections.http.controller';
import { InspectionService } from './inspection.service';
import { GetInspectionQueryHandler, ListInspectionsQueryHandler } from './queries/inspection.queries';

@Module({
  imports: [IssuesModule],
  controllers: [InspectionsController],
  providers: [InspectionService, GetInspectionQueryHandler, ListInspectionsQueryHandler],
})
export class InspectionsModule {}
