import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import { CONFIG, DubanConfig } from '@duban/config';
import { jobId } from '@duban/common';
import { Roles } from '../auth/roles.decorator';
import { InstantField, TextField } from '../http/fields';
import { ApiBearer, ApiIdempotent, ApiJson, ApiJsonBody, ApiProblems, INSTANT, object, TEXT } from '../http/openapi';
import { API_QUEUES, type QueueSet } from './queue-set';
import { InvalidCommand } from '@duban/domain';

export class SendProgressRequestDto {
  @TextField({
    max: 7,
    pattern: /^\d{4}-(0[1-9]|1[0-2])$/,
    required: false,
    example: '2026-11',
    description: 'the month asked about (default: this month in TZ_AGENCY)',
  })
  month?: string;

  @InstantField({
    required: false,
    description: 'when the report is due (default: the end of PROGRESS_DUE_DAY of that month in TZ_AGENCY)',
  })
  dueBy?: string;
}

/** 按月上报 by hand: the monthly progress request the worker sends on its cron, sent now. */
@ApiTags('admin')
@ApiBearer()
@Controller('admin/progress-requests')
export class ProgressRequestsController {
  constructor(
    @Inject(API_QUEUES) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('registrar', 'admin')
  @ApiOperation({
    summary:
      'Ask every open issue’s units for a progress report now (idempotent per issue and month); the reminder follows at the due time',
  })
  @ApiJson(object({ jobId: TEXT, month: TEXT, dueBy: INSTANT }), 202, 'Accepted: the request is queued')
  @ApiJsonBody()
  @ApiProblems(403)
  @ApiIdempotent()
  async send(@Body() body: SendProgressRequestDto) {
    const month = body.month ?? DateTime.now().setZone(this.config.tzAgency).toFormat('yyyy-MM');
    const dueBy =
      body.dueBy ??
      DateTime.fromFormat(month, 'yyyy-MM', { zone: this.config.tzAgency })
        .set({ day: this.config.progressDueDay })
        .endOf('day')
        .toUTC()
        .toISO()!;
    if (Date.parse(dueBy) <= Date.now())
      throw new InvalidCommand('dueBy', `dueBy (${dueBy}) has passed: name a later dueBy`);
    const id = jobId('progress-request', month, 'manual', Date.now());
    await this.queues.progress.add(
      'progress-request',
      { month, dueBy },
      { jobId: id, removeOnComplete: { age: 40 * 86_400 } },
    );
    return { jobId: id, month, dueBy };
  }
}
