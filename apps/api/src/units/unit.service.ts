import { Injectable } from '@nestjs/common';
import { CommandRunner, LoadedAggregate } from '@duban/application';
import { CreateUnit, InvalidCommand, UnitCommand, unitDecider, UnitState } from '@duban/domain';
import { deterministicUuid } from '@duban/event-store';
import { CommandAnswer, CommandInput, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import { unitStream } from '../application/streams';
import type { Caller } from '../http/caller';

export type UnitCommandInput = CommandInput<UnitCommand>;

/**
 * A unit's id is derived from its code, so "one unit per code" is enforced by the event store
 * itself (the second CreateUnit meets an existing stream) with no read model in the way.
 */
export const unitIdForCode = (code: string) => deterministicUuid(`unit-code|${code.trim().toUpperCase()}`);

/** a unit hierarchy deeper than this is refused (and bounds the cycle walk) */
const MAX_DEPTH = 32;

/** The unit directory's use cases: the I/O is the walk up the parent chain; the rules are the decider's. */
@Injectable()
export class UnitService {
  constructor(private readonly runner: CommandRunner) {}

  async create(data: Omit<CreateUnit['data'], 'unitId'>, caller: Caller): Promise<CommandAnswer> {
    const unitId = unitIdForCode(data.code);
    if (data.parentId) await this.assertParent(unitId, data.parentId);
    return this.execute({ type: 'CreateUnit', data: { ...data, unitId } }, caller);
  }

  async move(unitId: string, parentId: string | undefined, caller: Caller): Promise<CommandAnswer> {
    if (parentId) await this.assertParent(unitId, parentId);
    return this.execute({ type: 'MoveUnit', data: { unitId, ...(parentId ? { parentId } : {}) } }, caller);
  }

  async execute(command: UnitCommandInput, caller: Caller): Promise<CommandAnswer> {
    const actor = actorOf(caller.principal);
    const result = await this.runner.execute({
      streamId: unitStream(command.data.unitId),
      decider: unitDecider,
      command: { ...command, meta: { at: now(), actor } },
      ifMatch: caller.ifMatch,
      meta: { actor },
      name: command.type,
    });
    return { id: command.data.unitId, revision: result.revision, position: result.position };
  }

  /** The parent must exist and be active, and moving must not make the unit its own ancestor. */
  private async assertParent(unitId: string, parentId: string): Promise<void> {
    let current: string | null = parentId;
    for (let depth = 0; current; depth++) {
      if (current === unitId) throw new InvalidCommand('parentId', 'this parent would make the unit its own ancestor');
      if (depth >= MAX_DEPTH)
        throw new InvalidCommand('parentId', `the unit hierarchy may be at most ${MAX_DEPTH} levels deep`);
      const { state, revision }: LoadedAggregate<UnitState> = await this.runner.load(unitStream(current), unitDecider);
      if (revision < 0) throw new InvalidCommand('parentId', `no unit ${current}`);
      if (depth === 0 && state.status !== 'active')
        throw new InvalidCommand('parentId', `unit ${current} is deactivated`);
      current = state.parentId;
    }
  }
}
