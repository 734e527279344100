import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { jobId } from '@duban/common';
import { Roles } from '../auth/roles.decorator';
import { TextField } from '../http/fields';
import {
  ApiBearer,
  ApiIdempotent,
  ApiJson,
  ApiProblems,
  arrayOf,
  INSTANT,
  INTEGER,
  nullable,
  object,
  TEXT,
} from '../http/openapi';
import { API_QUEUES, type QueueSet } from './queue-set';

export class DeadLetterParam {
  @TextField({ max: 200, pattern: /^[A-Za-z0-9_-]+$/, description: 'a dead letter id from GET /admin/dead-letters' })
  id!: string;
}

/** Deliveries that failed every try: an administrator inspects them and sends them again. */
@ApiTags('admin')
@ApiBearer()
@ApiProblems(403)
@Controller('admin/dead-letters')
@Roles('admin')
export class DeadLettersController {
  constructor(@Inject(API_QUEUES) private readonly queues: QueueSet) {}

  @Get()
  @ApiOperation({ summary: 'Notification deliveries that failed every try (newest first)' })
  @ApiJson(
    object({
      items: arrayOf(
        object({
          id: TEXT,
          deliveryId: TEXT,
          channel: TEXT,
          address: TEXT,
          kind: TEXT,
          issueId: nullable(TEXT),
          unitId: nullable(TEXT),
          error: TEXT,
          attempts: INTEGER,
          failedAt: INSTANT,
        }),
      ),
    }),
  )
  async list() {
    const jobs = await this.queues['dead-letters'].getJobs(['waiting', 'paused', 'delayed'], 0, 499, false);
    return {
      items: jobs.map((job) => ({
        id: job.id,
        deliveryId: job.data.deliveryId,
        channel: job.data.channel,
        address: job.data.address,
        kind: job.data.kind,
        issueId: job.data.issueId,
        unitId: job.data.unitId,
        error: job.data.error,
        attempts: job.data.attempts,
        failedAt: new Date(job.timestamp).toISOString(),
      })),
    };
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Send a dead letter again (a new delivery job with the same tries and backoff); it leaves the dead-letter queue',
  })
  @ApiJson(object({ id: TEXT, retryJobId: TEXT }), 202, 'Accepted: a new delivery job is queued')
  @ApiProblems(400, 404)
  @ApiIdempotent()
  async retry(@Param() { id }: DeadLetterParam) {
    const dead = await this.queues['dead-letters'].getJob(id);
    if (!dead) throw new NotFoundException(`dead letter ${id} does not exist (already retried?)`);
    const { error: _error, failedJobId, attempts: _attempts, ...delivery } = dead.data;
    const original = failedJobId ? await this.queues.notifications.getJob(failedJobId) : undefined;
    const retryId = jobId('nt', delivery.deliveryId, 'retry', Date.now());
    await this.queues.notifications.add('deliver', delivery, {
      jobId: retryId,
      attempts: original?.opts.attempts ?? 3,
      backoff: original?.opts.backoff ?? { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 7 * 86_400 },
    });
    await dead.remove();
    return { id, retryJobId: retryId };
  }
}
