import { Injectable, PayloadTooLargeException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { newAggregateId } from '@duban/application';
import { ISSUE_LIMITS, type AssignmentMeeting } from '@duban/domain';
import type { Caller } from '../http/caller';
import { Problem, problem } from '../http/problem';
import { problemOf } from '../http/problem-details.filter';
import { flattenValidationErrors } from '../http/validation';
import { IssueService } from '../issues/issue.service';
import { AssignBatchItemDto, AssignBatchRequestDto } from './assign-batch.request.dto';

/** How many items (of different issues) are applied at once. */
const BATCH_CONCURRENCY = 64;

/** What one item came to: the HTTP status it would have had on its own, and its revision or its problem. */
export interface BatchItemResult {
  issueId: string | null;
  status: number;
  revision?: number;
  position?: number;
  deadline?: string;
  problem?: Problem;
}

export interface BatchAnswer {
  batchId: string;
  meeting: AssignmentMeeting;
  results: BatchItemResult[];
}

/**
 * 交办会: a meeting's assignments, each applied on its own through the one assignment path (IssueService.assign,
 * the decider's rules): a bad item is answered in its result and the others go on. Items of different issues run
 * concurrently (bounded); items of one issue run in the request's order; results come in the request's order. The batch id and the meeting are
 * recorded on each assignment event. Under an Idempotency-Key the batch id and every item's command id derive from
 * the key, so a retry — even of a batch cut off half-way — appends nothing twice and answers the same results.
 */
@Injectable()
export class AssignmentBatchService {
  constructor(private readonly issues: IssueService) {}

  async assign(body: AssignBatchRequestDto, caller: Caller): Promise<BatchAnswer> {
    if (body.items.length > ISSUE_LIMITS.batchItems)
      throw new PayloadTooLargeException(
        problem(
          413,
          `a batch holds at most ${ISSUE_LIMITS.batchItems} items (got ${body.items.length}); nothing was applied: split it into several batches`,
          { errors: [{ field: 'items', messages: [`at most ${ISSUE_LIMITS.batchItems} items`] }] },
        ),
      );
    const meeting: AssignmentMeeting = {
      date: body.meeting.date,
      ...(body.meeting.name !== undefined ? { name: body.meeting.name } : {}),
      presidedBy: { name: body.meeting.presidedBy.name, title: body.meeting.presidedBy.title },
    };
    const batchId = newAggregateId('assignment batch');
    // Items naming the same issue form a queue run in the request's order (each item sees the previous one's
    // outcome, and each takes the same command id on a retry: ids count the commands per stream); the queues run
    // BATCH_CONCURRENCY at a time, so their appends share the store's group commits instead of one fsync each.
    const queues = new Map<string, number[]>();
    for (const [index, item] of body.items.entries()) {
      const key = typeof item.issueId === 'string' ? `issue ${item.issueId}` : `item ${index}`;
      const queue = queues.get(key);
      if (queue) queue.push(index);
      else queues.set(key, [index]);
    }
    const pending = [...queues.values()];
    const results = new Array<BatchItemResult>(body.items.length);
    const worker = async () => {
      for (let queue = pending.shift(); queue; queue = pending.shift())
        for (const index of queue)
          results[index] = await this.item(index, body.items[index], { batchId, meeting }, caller);
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, pending.length) }, worker));
    return { batchId, meeting, results };
  }

  private async item(
    index: number,
    raw: Record<string, unknown>,
    batch: { batchId: string; meeting: AssignmentMeeting },
    caller: Caller,
  ): Promise<BatchItemResult> {
    const issueId = typeof raw.issueId === 'string' ? raw.issueId : null;
    const item = plainToInstance(AssignBatchItemDto, raw);
    const errors = await validate(item, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length) {
      const fields = flattenValidationErrors(errors, `items[${index}]`);
      const detail = `item ${index} has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.map((f) => f.field).join(', ')}`;
      return { issueId, status: 400, problem: problem(400, detail, { errors: fields }) };
    }
    const { issueId: id, ...assignment } = item;
    try {
      const answer = await this.issues.assign(id, { ...assignment, batch }, caller);
      return {
        issueId: id,
        status: 200,
        revision: answer.revision,
        position: answer.position,
        deadline: answer.deadline,
      };
    } catch (error) {
      const p = problemOf(error);
      return { issueId: id, status: p.status, problem: p };
    }
  }
}
