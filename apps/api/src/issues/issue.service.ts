import { Inject, Injectable } from '@nestjs/common';
import { CommandRunner, programmeStream } from '@duban/application';
import { CONFIG, DubanConfig } from '@duban/config';
import {
  Assignment,
  InvalidCommand,
  IssueCommand,
  issueDecider,
  programmeDecider,
  RecordAccountability,
  RegisterIssue,
  unitDecider,
} from '@duban/domain';
import { CommandAnswer, CommandInput, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import { issueStream, unitStream } from '../application/streams';
import type { Caller } from '../http/caller';
import { assertMayCommand } from './issue-access';
import { CalendarService } from '../calendar/calendar.service';
import { PersonalDataService, type ReporterInput } from '../personal-data/personal-data.service';
import { AttachmentService } from '../attachments/attachment.service';
import type { WithAttachmentIds } from '../attachments/attachment-ids';

export type IssueCommandInput = CommandInput<IssueCommand>;
/** A command as the edge gives it: evidence files by their ids, resolved by `execute`. */
export type IssueCommandRequest = WithAttachmentIds<IssueCommandInput>;

/** A registration as the caller gives it: the reporter's personal fields in clear (sealed by the service). */
export type RegistrationInput = Omit<WithAttachmentIds<RegisterIssue>['data'], 'issueId' | 'reporter'> & {
  reporter?: ReporterInput;
};

/** An assignment's answer also says the deadline it set and whether a year it counted through is still provisional. */
export type AssignmentAnswer = CommandAnswer & { deadline: string; deadlineProvisional: boolean };

/** An assignment as the caller gives it: the deadline as an instant or as a number of working days. */
export type AssignmentRequest = Omit<Assignment, 'deadline'> & { deadline?: string };

/**
 * The issue use cases' I/O: the clock, the unit directory and the working-day calendar, and the caller's
 * unit scope. Roles are the guard's (`ISSUE_COMMAND_ROLES`), rules the decider's.
 */
@Injectable()
export class IssueService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CONFIG) private readonly config: DubanConfig,
    private readonly calendar: CalendarService,
    private readonly personalData: PersonalDataService,
    private readonly attachments: AttachmentService,
  ) {}

  /** 登记: the reporter's personal fields are sealed here (PIPL), so the command and the log carry only ciphertext. */
  async register(issueId: string, data: RegistrationInput, caller: Caller): Promise<CommandAnswer> {
    if (data.programmeId !== undefined) await this.assertProgrammePhase(data.programmeId, data.phase);
    const at = now();
    const reporter = data.reporter ? await this.personalData.seal(issueId, data.reporter, at) : undefined;
    try {
      return await this.execute({ type: 'RegisterIssue', data: { ...data, reporter, issueId } }, caller, at, {
        newStream: true,
      });
    } catch (error) {
      await this.personalData.discard(reporter, at);
      throw error;
    }
  }

  /** A task names a programme that exists and, when it names a phase, one of the programme's phases. */
  private async assertProgrammePhase(programmeId: string, phase: string | undefined): Promise<void> {
    const { state, revision } = await this.runner.load(programmeStream(programmeId), programmeDecider);
    if (revision < 0) throw new InvalidCommand('programmeId', `no programme ${programmeId}`);
    if (phase !== undefined && !state.phases.some((p) => p.key === phase))
      throw new InvalidCommand(
        'phase',
        `programme ${programmeId} has no phase ${phase}; its phases are: ${state.phases.map((p) => p.key).join(', ') || 'none'}`,
      );
  }

  /** 交办: the lead and co-units must be active units; a deadline in working days becomes an instant. */
  async assign(issueId: string, request: AssignmentRequest, caller: Caller): Promise<AssignmentAnswer> {
    const at = now();
    const data = { ...(await this.resolveAssignment(request, at)), issueId };
    return this.answerWithDeadline(await this.execute({ type: 'AssignIssue', data }, caller, at), data);
  }

  /** 改派: as an assignment, with a reason. */
  async reassign(issueId: string, request: AssignmentRequest & { reason: string }, caller: Caller) {
    const at = now();
    const data = { ...(await this.resolveAssignment(request, at)), reason: request.reason, issueId };
    return this.answerWithDeadline(await this.execute({ type: 'ReassignIssue', data }, caller, at), data);
  }

  private answerWithDeadline(answer: CommandAnswer, set: { deadline: string; provisionalYears?: number[] }) {
    const deadlineProvisional = this.calendar.anyProvisional(set.provisionalYears ?? []);
    return { ...answer, deadline: set.deadline, deadlineProvisional };
  }

  /** 责令限期整改 or 回头看: a new deadline, as an instant or counted in working days from now. */
  async setNewDeadline(
    type: 'OrderTimeLimit' | 'ReopenIssue',
    issueId: string,
    request: { deadline?: string; deadlineWorkingDays?: number; reason: string },
    caller: Caller,
  ): Promise<AssignmentAnswer> {
    const at = now();
    const data = { ...request, ...this.deadlineOf(request, at), issueId };
    return this.answerWithDeadline(await this.execute({ type, data }, caller, at), data);
  }

  async recordAccountability(
    issueId: string,
    data: Omit<RecordAccountability['data'], 'issueId'>,
    caller: Caller,
  ): Promise<CommandAnswer> {
    if (data.target.unitId) await this.assertActiveUnit(data.target.unitId, 'target.unitId');
    return this.execute({ type: 'RecordAccountability', data: { ...data, issueId } }, caller);
  }

  /**
   * Any issue command: the caller's scope is checked on the loaded issue, then the decider decides.
   * `newStream`: the issue's id was just made, so its stream is not read first — the append expects no stream,
   * and a retried request whose stream exists is refused there, read, and answered with its first outcome.
   */
  async execute(
    request: IssueCommandRequest,
    caller: Caller,
    at = now(),
    { newStream = false } = {},
  ): Promise<CommandAnswer> {
    const command = await this.attachments.resolve<IssueCommandInput>(request, caller.principal);
    const actor = actorOf(caller.principal);
    const issueId = command.data.issueId;
    const result = await this.runner.execute({
      streamId: issueStream(issueId),
      decider: issueDecider,
      command: { ...command, meta: { at, actor } },
      ifMatch: caller.ifMatch,
      loaded: newStream ? { state: issueDecider.initialState(), revision: -1, events: [] } : undefined,
      guard: (state, revision) => assertMayCommand(caller.principal, command.type, state, revision, issueId),
      meta: { actor },
      name: command.type,
    });
    return { id: issueId, revision: result.revision, position: result.position };
  }

  private async resolveAssignment(request: AssignmentRequest, at: string): Promise<Omit<Assignment, 'issueId'>> {
    await this.assertActiveUnit(request.leadUnitId, 'leadUnitId');
    for (const [i, unitId] of (request.coUnitIds ?? []).entries())
      await this.assertActiveUnit(unitId, `coUnitIds[${i}]`);
    for (const [i, unitId] of (request.responsibleUnitIds ?? []).entries())
      await this.assertActiveUnit(unitId, `responsibleUnitIds[${i}]`);
    return { ...request, coUnitIds: request.coUnitIds ?? [], ...this.deadlineOf(request, at) };
  }

  /** Exactly one of the two ways to give a deadline; working days count from the command's time in the agency's zone. */
  private deadlineOf(
    request: { deadline?: string; deadlineWorkingDays?: number },
    at: string,
  ): { deadline: string; provisionalYears?: number[] } {
    const { deadline, deadlineWorkingDays } = request;
    if ((deadline === undefined) === (deadlineWorkingDays === undefined)) {
      throw new InvalidCommand(
        'deadline',
        'give exactly one of deadline (an instant) and deadlineWorkingDays (a number of working days)',
      );
    }
    if (deadline !== undefined) return { deadline };
    return this.calendar.current().addWorkingDaysExplained(at, deadlineWorkingDays!, this.config.tzAgency);
  }

  private async assertActiveUnit(unitId: string, field: string): Promise<void> {
    const { state, revision } = await this.runner.load(unitStream(unitId), unitDecider);
    if (revision < 0) throw new InvalidCommand(field, `no unit ${unitId}`);
    if (state.status === 'deactivated') throw new InvalidCommand(field, `unit ${unitId} is deactivated`);
  }
}
