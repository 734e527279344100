import { Inject, Injectable } from '@nestjs/common';
import { CommandRunner, issueStream, noticeStream, unitStream } from '@duban/application';
import { CreateNotice, InvalidCommand, NoticeCommand, noticeDecider } from '@duban/domain';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { CommandAnswer, CommandInput, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import type { Caller } from '../http/caller';

export type NoticeCommandInput = CommandInput<NoticeCommand>;

/** Stream names of notices: `notice-<uuid>`. */

/** Notices' use cases: the I/O is checking that the named units and issues exist; the rules are the decider's. */
@Injectable()
export class NoticeService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async create(noticeId: string, data: Omit<CreateNotice['data'], 'noticeId'>, caller: Caller): Promise<CommandAnswer> {
    await this.assertStreamsExist('unitIds', data.unitIds, unitStream, 'unit');
    await this.assertStreamsExist('issueIds', data.issueIds ?? [], issueStream, 'issue');
    return this.execute({ type: 'CreateNotice', data: { ...data, noticeId } }, caller);
  }

  publish(noticeId: string, caller: Caller): Promise<CommandAnswer> {
    return this.execute({ type: 'PublishNotice', data: { noticeId } }, caller);
  }

  private async execute(command: NoticeCommandInput, caller: Caller): Promise<CommandAnswer> {
    const actor = actorOf(caller.principal);
    const result = await this.runner.execute({
      streamId: noticeStream(command.data.noticeId),
      decider: noticeDecider,
      command: { ...command, meta: { at: now(), actor } },
      ifMatch: caller.ifMatch,
      meta: { actor },
      name: command.type,
    });
    return { id: command.data.noticeId, revision: result.revision, position: result.position };
  }

  /** A notice names what exists: the first id that names nothing is refused as `field[i]`. */
  private async assertStreamsExist(
    field: string,
    ids: string[],
    streamOf: (id: string) => string,
    what: string,
  ): Promise<void> {
    for (const [i, id] of ids.entries())
      if (!(await this.store.streamInfo(streamOf(id))).exists)
        throw new InvalidCommand(`${field}[${i}]`, `no ${what} ${id}`);
  }
}
