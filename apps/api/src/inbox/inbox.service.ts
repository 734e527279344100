import { Injectable, NotFoundException } from '@nestjs/common';
import { CommandRunner } from '@duban/application';
import { inboxReadDecider } from '@duban/domain';
import { deterministicUuid } from '@duban/event-store';
import type { Principal } from '../auth/principal';
import { CommandAnswer, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import { ReadModelService } from '../read-model/read-model.service';
import { visibleToCaller } from './inbox-visibility';

/** notification ids are `<event uuid>-<recipient key>` (see the inbox projection) */
const NOTIFICATION_ID = /^[0-9a-f-]{36}-[0-9a-z-]{1,40}$/i;

@Injectable()
export class InboxService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModelService,
  ) {}

  /** One stream per (user, notification): marking read twice records it once. */
  async markRead(notificationId: string, principal: Principal): Promise<CommandAnswer> {
    const row = NOTIFICATION_ID.test(notificationId)
      ? (this.readModel.db.prepare('SELECT unit_id AS unitId FROM inbox WHERE id = ?').get(notificationId) as
          { unitId: string | null } | undefined)
      : undefined;
    // a notification of another unit is answered as unknown: its existence is not the caller's business
    if (!row || !visibleToCaller(principal, row.unitId))
      throw new NotFoundException(`notification ${notificationId.slice(0, 100)} is not in your inbox`);
    const actor = actorOf(principal);
    const result = await this.runner.execute({
      streamId: `inbox-read-${deterministicUuid(`${principal.id}|${notificationId}`)}`,
      decider: inboxReadDecider,
      command: {
        type: 'MarkNotificationRead',
        data: { notificationId, userId: principal.id },
        meta: { at: now(), actor },
      },
      meta: { actor },
      name: 'MarkNotificationRead',
    });
    return { id: notificationId, revision: result.revision, position: result.position };
  }
}
