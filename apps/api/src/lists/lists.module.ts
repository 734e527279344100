import { Module } from '@nestjs/common';
import { ListsController } from './lists.http.controller';

@Module({ controllers: [ListsController] })
export class ListsModule {}
