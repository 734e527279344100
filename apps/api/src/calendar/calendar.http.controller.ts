import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { Caller, CurrentCaller } from '../http/caller';
import {
  ApiBearer,
  ApiCommandAnswer,
  ApiJson,
  ApiProblems,
  arrayOf,
  BOOLEAN,
  INTEGER,
  nullable,
  object,
  TEXT,
} from '../http/openapi';
import { CalendarService } from './calendar.service';
import { CalendarYearRequestDto } from './calendar-year.request.dto';

const year = new ParseIntPipe({ errorHttpStatusCode: 400 });

/** 节假日安排: next year's official schedule is published each November or December and loaded here, no release needed. */
@ApiTags('admin')
@ApiBearer()
@Controller('admin/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Put(':year')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      "Load a year's official holiday schedule (holidays, 调休 workdays, source); open working-day deadlines through that year are re-derived by the worker",
  })
  @ApiCommandAnswer(200)
  @ApiProblems(400, 403, 409, 412)
  load(@Param('year', year) y: number, @Body() body: CalendarYearRequestDto, @CurrentCaller() caller: Caller) {
    return this.calendar.load({ year: y, ...body }, caller);
  }

  @Get()
  @Roles('admin', 'registrar', 'auditor')
  @ApiOperation({ summary: 'Every year the calendar knows, with its source and whether it is provisional' })
  @ApiJson(
    object({
      items: arrayOf(object({ year: INTEGER, source: TEXT, provisional: BOOLEAN, notice: nullable(TEXT) })),
    }),
  )
  @ApiProblems(403)
  list() {
    // through next year: the one whose schedule is awaited in November and December
    return { items: this.calendar.current().years(new Date().getUTCFullYear() + 1) };
  }
}
