import { Global, Module } from '@nestjs/common';
import { CalendarController } from './calendar.http.controller';
import { CalendarService } from './calendar.service';

/** Global: assigning an issue and reading one need the calendar in force. */
@Global()
@Module({ controllers: [CalendarController], providers: [CalendarService], exports: [CalendarService] })
export class CalendarModule {}
