import { BadRequestException, ConflictException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AlreadyExists, UnitCommand, unitDecider, UnitState } from '@duban/domain';
import { deterministicUuid } from '@duban/event-store';
import type { Principal } from '../../auth/principal';
import { CommandExecutor } from '../../application/command-executor';
import { actorOf } from '../../application/principal-actor';
import { CommandAnswer, unitStream } from '../../application/streams';

type UnitCommandType = UnitCommand['type'];

export class ExecuteUnitCommand extends Command<CommandAnswer> {
  constructor(
    readonly unitId: string | null,
    readonly type: UnitCommandType,
    readonly data: Record<string, unknown>,
    readonly principal: Principal,
    readonly ifMatch?: number,
  ) {
    super();
  }
}

/**
 * A unit's id is derived from its code, so "one unit per code" is enforced by the event store
 * itself (the second CreateUnit meets an existing stream) with no read model in the way.
 */
export const unitIdForCode = (code: string) => deterministicUuid(`unit-code|${code.trim().toUpperCase()}`);

/** a unit hierarchy deeper than this is refused (and bounds the cycle walk) */
const MAX_DEPTH = 32;

@CommandHandler(ExecuteUnitCommand)
export class ExecuteUnitCommandHandler implements ICommandHandler<ExecuteUnitCommand, CommandAnswer> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ unitId, type, data, principal, ifMatch }: ExecuteUnitCommand): Promise<CommandAnswer> {
    const id = unitId ?? unitIdForCode(data.code as string);
    const parentId = data.parentId as string | undefined;
    if ((type === 'CreateUnit' || type === 'MoveUnit') && parentId) await this.assertParent(id, parentId);
    const at = new Date().toISOString();
    const command = { type, data: { ...data, unitId: id }, meta: { at, actor: actorOf(principal) } } as UnitCommand;
    try {
      const result = await this.executor.execute({
        streamId: unitStream(id),
        decider: unitDecider,
        command,
        ifMatch,
        meta: { actor: actorOf(principal) },
        name: type,
      });
      return { id, revision: result.revision, position: result.position };
    } catch (error) {
      if (error instanceof AlreadyExists && type === 'CreateUnit')
        throw new ConflictException(`a unit with code ${String(data.code)} already exists (id ${id})`);
      throw error;
    }
  }

  /** The parent must exist and be active, and moving must not make the unit its own ancestor. */
  private async assertParent(unitId: string, parentId: string): Promise<void> {
    let current: string | null = parentId;
    for (let depth = 0; current; depth++) {
      if (current === unitId) throw badField('parentId', 'this parent would make the unit its own ancestor');
      if (depth >= MAX_DEPTH) throw badField('parentId', `the unit hierarchy may be at most ${MAX_DEPTH} levels deep`);
      const { state, revision }: { state: UnitState; revision: number } = await this.executor.load(
        unitStream(current),
        unitDecider,
      );
      if (revision < 0) throw badField('parentId', `no unit ${current}`);
      if (depth === 0 && state.status !== 'active') throw badField('parentId', `unit ${current} is deactivated`);
      current = state.parentId;
    }
  }
}

function badField(field: string, message: string): BadRequestException {
  return new BadRequestException({
    type: 'https://duban.dev/problems/bad-request',
    title: 'Bad Request',
    status: 400,
    detail: `${field}: ${message}`,
    errors: [{ field, messages: [message] }],
  });
}
