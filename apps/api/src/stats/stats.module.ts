import { Module } from '@nestjs/common';
import { StatsController } from './stats.http.controller';
import { StatsQueryHandler } from './stats.query';

@Module({ controllers: [StatsController], providers: [StatsQueryHandler] })
export class StatsModule {}
