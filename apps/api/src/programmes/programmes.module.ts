import { Module } from '@nestjs/common';
import { IssuesModule } from '../issues/issues.module';
import { ProgrammesController } from './programmes.http.controller';
import { ProgrammeService } from './programme.service';
import { GetProgrammeQueryHandler, ListProgrammesQueryHandler } from './queries/programme.queries';

@Module({
  imports: [IssuesModule],
  controllers: [ProgrammesController],
  providers: [ProgrammeService, GetProgrammeQueryHandler, ListProgrammesQueryHandler],
})
export class ProgrammesModule {}
