import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CONFIG, DubanConfig } from '@duban/config';
import { addWorkingDays, issueDecider, IssueCommand, unitDecider, fold } from '@duban/domain';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import type { Principal } from '../../auth/principal';
import { CommandExecutor } from '../../application/command-executor';
import { actorOf } from '../../application/principal-actor';
import { CommandAnswer, issueStream, unitStream } from '../../application/streams';
import { assertCanCommand } from '../issue-access';
import { WORKING_CALENDAR } from '../working-calendar.provider';
import { fieldError } from '../../http/validation';
import type { WorkingCalendar } from '@duban/domain';

type IssueCommandType = IssueCommand['type'];

/** One lifecycle command on one issue, as the HTTP layer hands it over. */
export class ExecuteIssueCommand extends Command<CommandAnswer> {
  constructor(
    readonly issueId: string,
    readonly type: IssueCommandType,
    readonly data: Record<string, unknown>,
    readonly principal: Principal,
    readonly ifMatch?: number,
  ) {
    super();
  }
}

/**
 * Loads the issue, checks role and unit scope, resolves what needs the outside world (the time,
 * working-day deadlines, that referenced units exist), then lets the pure decider decide.
 */
@CommandHandler(ExecuteIssueCommand)
export class ExecuteIssueCommandHandler implements ICommandHandler<ExecuteIssueCommand, CommandAnswer> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
  ) {}

  async execute({ issueId, type, data, principal, ifMatch }: ExecuteIssueCommand): Promise<CommandAnswer> {
    const at = new Date().toISOString();
    const resolved = await this.resolve(type, data, at);
    const command = { type, data: { issueId, ...resolved }, meta: { at, actor: actorOf(principal) } } as IssueCommand;
    const result = await this.executor.execute({
      streamId: issueStream(issueId),
      decider: issueDecider,
      command,
      ifMatch,
      guard: (state, revision) => assertCanCommand(principal, type, state as never, revision, issueId),
      meta: { actor: actorOf(principal) },
      name: type,
    });
    return { id: issueId, revision: result.revision, position: result.position };
  }

  private async resolve(
    type: IssueCommandType,
    data: Record<string, unknown>,
    at: string,
  ): Promise<Record<string, unknown>> {
    if (type === 'AssignIssue' || type === 'ReassignIssue') {
      const hasInstant = data.deadline !== undefined;
      const hasDays = data.deadlineWorkingDays !== undefined;
      if (hasInstant === hasDays) {
        throw fieldError(
          'deadline',
          'give exactly one of deadline (an instant) and deadlineWorkingDays (a number of working days)',
        );
      }
      await this.assertActiveUnit(data.leadUnitId as string, 'leadUnitId');
      for (const [i, unitId] of ((data.coUnitIds as string[] | undefined) ?? []).entries())
        await this.assertActiveUnit(unitId, `coUnitIds[${i}]`);
      if (((data.coUnitIds as string[] | undefined) ?? []).includes(data.leadUnitId as string)) {
        throw fieldError('coUnitIds', 'the lead unit cannot also be a co-unit');
      }
      const deadline = hasDays
        ? addWorkingDays(this.calendar, at, data.deadlineWorkingDays as number, this.config.tzAgency)
        : data.deadline;
      return { ...data, coUnitIds: data.coUnitIds ?? [], deadline };
    }
    if (type === 'RecordAccountability') {
      const target = data.target as { kind: string; unitId?: string; name?: string };
      if (target.kind === 'unit' && !target.unitId) throw fieldError('target.unitId', 'a unit target needs unitId');
      if (target.kind === 'person' && !target.name) throw fieldError('target.name', 'a person target needs name');
      if (target.unitId) await this.assertActiveUnit(target.unitId, 'target.unitId');
    }
    return data;
  }

  private async assertActiveUnit(unitId: string, field: string): Promise<void> {
    const events = await this.store.readStream(unitStream(unitId));
    const unit = fold(
      unitDecider,
      events.map((e) => ({ type: e.type, data: e.data }) as never),
    );
    if (events.length === 0) throw fieldError(field, `no unit ${unitId}`);
    if ((unit as { status?: string }).status === 'deactivated')
      throw fieldError(field, `unit ${unitId} is deactivated`);
  }
}
