import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { NotFoundException } from '@nestjs/common';
import { inboxReadDecider } from '@duban/domain';
import { deterministicUuid } from '@duban/event-store';
import type { Principal } from '../../../auth/principal';
import { actorOf } from '../../../application/principal-actor';
import { CommandExecutor } from '../../../application/command-executor';
import type { CommandAnswer } from '../../../application/streams';
import { ReadModelService } from '../../../read-model/read-model.service';
import { visibleToCaller } from '../../inbox-visibility';

export class MarkNotificationRead extends Command<CommandAnswer> {
  constructor(
    readonly notificationId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** One stream per (user, notification): marking read twice records it once. */
@CommandHandler(MarkNotificationRead)
export class MarkNotificationReadHandler implements ICommandHandler<MarkNotificationRead, CommandAnswer> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readModel: ReadModelService,
  ) {}

  async execute({ notificationId, principal }: MarkNotificationRead): Promise<CommandAnswer> {
    const row = this.readModel.db.prepare('SELECT unit_id AS unitId FROM inbox WHERE id = ?').get(notificationId) as
      { unitId: string | null } | undefined;
    // a notification of another unit is answered as unknown: its existence is not the caller's business
    if (!row || !visibleToCaller(principal, row.unitId))
      throw new NotFoundException(`notification ${notificationId} is not in your inbox`);
    const result = await this.executor.execute({
      streamId: `inbox-read-${deterministicUuid(`${principal.id}|${notificationId}`)}`,
      decider: inboxReadDecider,
      command: {
        type: 'MarkNotificationRead',
        data: { notificationId, userId: principal.id },
        meta: { at: new Date().toISOString(), actor: actorOf(principal) },
      },
      meta: { actor: actorOf(principal) },
      name: 'MarkNotificationRead',
    });
    return { id: notificationId, revision: result.revision, position: result.position };
  }
}
