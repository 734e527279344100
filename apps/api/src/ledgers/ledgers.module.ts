import { Module } from '@nestjs/common';
import { LedgersController } from './ledgers.http.controller';

@Module({ controllers: [LedgersController] })
export class LedgersModule {}
