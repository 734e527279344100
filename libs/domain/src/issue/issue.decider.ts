import type { Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import {
  optionalText,
  requireDateOrInstant,
  requireDuration,
  requireFutureInstant,
  requireInstant,
  requireInteger,
  requireMonth,
  requireOneOf,
  requireStringList,
  requireText,
} from '../validation';
import type { Assignment, IssueCommand, IssueCommandType } from './issue.commands';
import type { IssueEvent } from './issue.events';
import { ISSUE_LIFECYCLE, NEXT_STEP } from './issue.lifecycle';
import { evolveIssue, initialIssueState, IssueState, latestResult, pendingExtensionRequest } from './issue.state';
import {
  ACCOUNTABILITY_MEASURES,
  ASSIGNMENT_MODES,
  EscalationLevel,
  FINDING_KINDS,
  ISSUE_SOURCES,
  IssueStatus,
  LIST_KINDS,
  Measure,
  PRIORITIES,
  VERDICTS,
} from './issue.vocabulary';

/** Refuses `command` in the issue's current status, saying what to do instead. */
function refuse(command: IssueCommandType, state: IssueState, advice: string = NEXT_STEP[state.status]): never {
  const action = ISSUE_LIFECYCLE[command].action;
  throw new IllegalTransition(`cannot ${action} an issue that is ${state.status}; ${advice}`, state.status, command);
}

/** Status gate from the lifecycle table; `advice` may name a better next step for this command. */
function requireStatusFor(
  command: IssueCommandType,
  state: IssueState,
  advice?: Partial<Record<IssueState['status'], string>>,
): void {
  if (!ISSUE_LIFECYCLE[command].from.includes(state.status)) refuse(command, state, advice?.[state.status]);
}

const AWAITING_RESULT = 'the unit has not reported a result yet';
const NOT_YET_ACCEPTED =
  'only an accepted issue (assessed satisfied or basically satisfied) can be closed; its result must be reported and accepted first';
const RESULT_ALREADY_REPORTED = 'a result has already been reported, so it can only be assessed and closed';

const sameAdvice = (statuses: IssueStatus[], advice: string) =>
  Object.fromEntries(statuses.map((s) => [s, advice])) as Partial<Record<IssueStatus, string>>;

/** The lead unit of an issue that has one (every status from `assigned` on). */
const leadUnitOf = (state: IssueState): string => state.leadUnitId!;

export function decideIssue(command: IssueCommand, state: IssueState): IssueEvent[] {
  const at = requireInstant('meta.at', command.meta.at);
  const by = requireText('meta.actor.id', command.meta.actor?.id);
  const issueId = requireText('issueId', command.data.issueId);
  const base = { issueId, at, by };

  if (command.type === 'RegisterIssue') {
    if (state.status !== 'none') throw new AlreadyExists(`issue ${issueId} is already registered`);
  } else {
    if (state.status === 'none') throw new NotFound(`issue ${issueId} does not exist`);
    if (state.id !== issueId)
      throw new InvalidCommand('issueId', `names issue ${issueId} but the state is issue ${state.id}`);
  }

  switch (command.type) {
    case 'RegisterIssue': {
      const d = command.data;
      const reporter = d.reporter
        ? {
            name: requireText('reporter.name', d.reporter.name),
            ...(d.reporter.phone !== undefined ? { phone: requireText('reporter.phone', d.reporter.phone) } : {}),
            confidential: d.reporter.confidential === true,
          }
        : null;
      return [
        {
          type: 'IssueRegistered',
          data: {
            ...base,
            source: requireOneOf('source', d.source, ISSUE_SOURCES),
            category: requireText('category', d.category),
            title: requireText('title', d.title),
            description: requireText('description', d.description),
            location: optionalText('location', d.location),
            reporter,
            attachments: requireStringList('attachments', d.attachments),
            ...(d.origin ? { origin: d.origin } : {}),
          },
        },
      ];
    }

    case 'TriageIssue': {
      const d = command.data;
      const category = d.category === undefined ? state.category! : requireText('category', d.category);
      const priority = d.priority === undefined ? state.priority : requireOneOf('priority', d.priority, PRIORITIES);
      const note = optionalText('note', d.note);
      requireStatusFor(
        command.type,
        state,
        sameAdvice(
          ['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'],
          'it is already assigned; triage comes before assignment',
        ),
      );
      return [{ type: 'IssueTriaged', data: { ...base, category, priority, note } }];
    }

    case 'AssignIssue': {
      const assignment = requireAssignment(command.data, at);
      const alreadyAssigned = `it is already assigned to unit ${state.leadUnitId}`;
      requireStatusFor(command.type, state, {
        assigned: `${alreadyAssigned}; to move it to another unit, re-assign it (改派)`,
        in_progress: `${alreadyAssigned}, which is rectifying it`,
        reopened: `${alreadyAssigned}, which is rectifying it again`,
      });
      return [
        {
          type: 'IssueAssigned',
          data: {
            ...base,
            ...assignment,
            deadlineVersion: state.deadlineVersion + 1,
            previousLeadUnitId: null,
            reason: null,
          },
        },
      ];
    }

    case 'ReassignIssue': {
      const assignment = requireAssignment(command.data, at);
      const reason = requireText('reason', command.data.reason);
      const started = `unit ${state.leadUnitId} has started rectifying it; re-assignment (改派) is only possible before a plan or progress is reported`;
      requireStatusFor(command.type, state, {
        registered: 'assign it first',
        triaged: 'assign it first',
        in_progress: started,
        reopened: started,
      });
      const pending = pendingExtensionRequest(state);
      if (pending)
        refuse(
          command.type,
          state,
          `decide extension request ${pending.requestId} of unit ${state.leadUnitId} before re-assigning it`,
        );
      return [
        {
          type: 'IssueAssigned',
          data: {
            ...base,
            ...assignment,
            deadlineVersion: state.deadlineVersion + 1,
            previousLeadUnitId: leadUnitOf(state),
            reason,
          },
        },
      ];
    }

    case 'SubmitPlan': {
      const measures = requireMeasures(command.data.measures, state.deadline);
      requireStatusFor(command.type, state);
      return [{ type: 'PlanSubmitted', data: { ...base, measures, leadUnitId: leadUnitOf(state) } }];
    }

    case 'ReportProgress': {
      const d = command.data;
      const text = requireText('text', d.text);
      const percent = d.percent === undefined || d.percent === null ? null : requirePercent(d.percent);
      requireStatusFor(command.type, state);
      return [{ type: 'ProgressReported', data: { ...base, text, percent, leadUnitId: leadUnitOf(state) } }];
    }

    case 'RequestExtension': {
      const d = command.data;
      const requestId = requireText('requestId', d.requestId);
      const reason = requireText('reason', d.reason);
      requireStatusFor(command.type, state);
      if (state.extensionRequests.some((r) => r.requestId === requestId))
        throw new AlreadyExists(`issue ${issueId} already has an extension request ${requestId}`);
      const pending = pendingExtensionRequest(state);
      if (pending) refuse(command.type, state, `request ${pending.requestId} is still pending a decision`);
      const newDeadline = requireFutureInstant('newDeadline', d.newDeadline, at, {
        instant: state.deadline!,
        what: 'the current deadline',
      });
      return [
        {
          type: 'ExtensionRequested',
          data: {
            ...base,
            requestId,
            newDeadline,
            reason,
            currentDeadline: state.deadline!,
            leadUnitId: leadUnitOf(state),
          },
        },
      ];
    }

    case 'DecideExtension': {
      const d = command.data;
      if (typeof d.approved !== 'boolean') throw new InvalidCommand('approved', 'must be true or false');
      const note = optionalText('note', d.note);
      const request = state.extensionRequests.find((r) => r.requestId === d.requestId);
      if (!request) throw new NotFound(`issue ${issueId} has no extension request ${d.requestId}`);
      if (request.status !== 'pending')
        refuse(command.type, state, `request ${request.requestId} was already ${request.status}`);
      // a pending request only exists on an open issue: reporting a result or withdrawing lapses it
      requireStatusFor(command.type, state);
      if (!d.approved) return [{ type: 'ExtensionRejected', data: { ...base, requestId: request.requestId, note } }];
      if (request.newDeadline <= at) {
        refuse(
          command.type,
          state,
          `the requested deadline ${request.newDeadline} has already passed; reject request ${request.requestId} and let the unit ask for a later one`,
        );
      }
      return [
        {
          type: 'ExtensionApproved',
          data: {
            ...base,
            requestId: request.requestId,
            deadline: request.newDeadline,
            deadlineVersion: state.deadlineVersion + 1,
            note,
          },
        },
      ];
    }

    case 'ReportResult': {
      const d = command.data;
      const summary = requireText('summary', d.summary);
      const evidence = requireStringList('evidence', d.evidence);
      requireStatusFor(command.type, state, {
        result_reported: 'a result was already reported and awaits assessment',
        accepted: 'its result was accepted; it awaits closing (销号)',
      });
      const deadline = state.deadline!;
      return [
        {
          type: 'ResultReported',
          data: {
            ...base,
            summary,
            evidence,
            leadUnitId: leadUnitOf(state),
            deadline,
            deadlineVersion: state.deadlineVersion,
            onTime: at <= deadline,
          },
        },
        ...lapsePendingExtension(state, base, 'result_reported'),
      ];
    }

    case 'AssessResult': {
      const d = command.data;
      const verdict = requireOneOf('verdict', d.verdict, VERDICTS);
      const comment = optionalText('comment', d.comment);
      if (verdict !== 'unsatisfied' && d.newDeadline !== undefined)
        throw new InvalidCommand('newDeadline', 'is only given with an unsatisfied verdict');
      if (verdict === 'unsatisfied' && d.newDeadline === undefined)
        throw new InvalidCommand(
          'newDeadline',
          'is required when the verdict is unsatisfied (the issue reopens with it)',
        );
      requireStatusFor(command.type, state, {
        assigned: AWAITING_RESULT,
        in_progress: AWAITING_RESULT,
        reopened: `${AWAITING_RESULT} since it was reopened`,
        accepted: 'it was already assessed and accepted; it awaits closing (销号)',
      });
      const assessed: IssueEvent = {
        type: 'ResultAssessed',
        data: { ...base, verdict, comment, leadUnitId: leadUnitOf(state) },
      };
      if (verdict !== 'unsatisfied') return [assessed];
      const deadline = requireFutureInstant('newDeadline', d.newDeadline, at);
      return [
        assessed,
        {
          type: 'IssueReopened',
          data: { ...base, deadline, deadlineVersion: state.deadlineVersion + 1, leadUnitId: leadUnitOf(state) },
        },
      ];
    }

    case 'RecordFinding': {
      const kind = requireOneOf('kind', command.data.kind, FINDING_KINDS);
      const note = requireText('note', command.data.note);
      requireStatusFor(command.type, state, {
        registered: 'assign it first: a finding counts against the unit rectifying it',
        triaged: 'assign it first: a finding counts against the unit rectifying it',
      });
      return [{ type: 'FindingRecorded', data: { ...base, kind, note, leadUnitId: leadUnitOf(state) } }];
    }

    case 'CloseIssue': {
      const note = optionalText('note', command.data.note);
      requireStatusFor(command.type, state, {
        assigned: NOT_YET_ACCEPTED,
        in_progress: NOT_YET_ACCEPTED,
        reopened: NOT_YET_ACCEPTED,
        result_reported: 'assess its result first (satisfied or basically satisfied)',
        closed: 'it is already closed (销号备案)',
      });
      const result = latestResult(state)!;
      const verdict = state.assessments[state.assessments.length - 1].verdict;
      return [
        {
          type: 'IssueClosed',
          data: {
            ...base,
            note,
            deadline: result.deadline,
            onTime: result.onTime,
            verdict,
            leadUnitId: leadUnitOf(state),
          },
        },
      ];
    }

    case 'WithdrawIssue': {
      const reason = requireText('reason', command.data.reason);
      // in_progress may follow a reopening, i.e. a result already reported: the history decides
      if (state.results.length > 0 && state.status !== 'withdrawn')
        refuse(command.type, state, RESULT_ALREADY_REPORTED);
      requireStatusFor(command.type, state, { withdrawn: 'it is already withdrawn' });
      return [
        { type: 'IssueWithdrawn', data: { ...base, reason, fromStatus: state.status as IssueStatus } },
        ...lapsePendingExtension(state, base, 'withdrawn'),
      ];
    }

    case 'EscalateIssue': {
      const d = command.data;
      const level = requireInteger('level', d.level, 1, 4) as EscalationLevel;
      const reason = requireText('reason', d.reason);
      const automatic = d.automatic === true;
      const forVersion = automatic ? requireInteger('deadlineVersion', d.deadlineVersion, 1) : state.deadlineVersion;
      requireStatusFor(command.type, state, {
        registered: 'assign it first: escalation presses the unit rectifying it',
        triaged: 'assign it first: escalation presses the unit rectifying it',
        result_reported: 'its result awaits assessment, so no deadline runs',
        accepted: 'its result was accepted, so no deadline runs',
      });
      if (automatic) {
        if (forVersion !== state.deadlineVersion) {
          refuse(
            command.type,
            state,
            `the deadline moved (version ${state.deadlineVersion} now): the escalation for version ${forVersion} no longer applies`,
          );
        }
        if (at < state.deadline!)
          refuse(
            command.type,
            state,
            `its deadline (${state.deadline}) has not passed; automatic escalation is for overdue issues`,
          );
      }
      if (level <= state.escalationLevel) {
        refuse(
          command.type,
          state,
          `it is already at level ${state.escalationLevel}, and escalations never go down or repeat; choose a level above ${state.escalationLevel}`,
        );
      }
      return [
        {
          type: 'IssueEscalated',
          data: {
            ...base,
            level,
            fromLevel: state.escalationLevel,
            reason,
            automatic,
            deadline: state.deadline!,
            deadlineVersion: state.deadlineVersion,
            leadUnitId: leadUnitOf(state),
          },
        },
      ];
    }

    case 'RecordAccountability': {
      const d = command.data;
      const measure = requireOneOf('measure', d.measure, ACCOUNTABILITY_MEASURES);
      const target = requireAccountabilityTarget(d.target);
      const reason = requireText('reason', d.reason);
      requireStatusFor(command.type, state, {
        registered: 'assign it first: accountability follows from how an assigned issue was handled',
        triaged: 'assign it first: accountability follows from how an assigned issue was handled',
      });
      return [
        { type: 'AccountabilityRecorded', data: { ...base, measure, target, reason, leadUnitId: leadUnitOf(state) } },
      ];
    }

    case 'ListIssue': {
      const list = requireOneOf('list', command.data.list, LIST_KINDS);
      const reason = requireText('reason', command.data.reason);
      requireStatusFor(command.type, state);
      if (state.lists.some((l) => l.list === list))
        throw new AlreadyExists(`issue ${issueId} is already on the ${list} list`);
      if (list === 'red') {
        if (state.status !== 'accepted' && state.status !== 'closed')
          refuse(
            command.type,
            state,
            'only an accepted or closed issue can go on the red list (exemplary rectification)',
          );
        if (state.lists.some((l) => l.list === 'black'))
          refuse(command.type, state, 'it is on the black list, so it cannot also go on the red list');
      }
      return [{ type: 'IssueListed', data: { ...base, list, reason, leadUnitId: leadUnitOf(state) } }];
    }

    case 'SendReminder': {
      const d = command.data;
      const deadlineVersion = requireInteger('deadlineVersion', d.deadlineVersion, 1);
      const offset = requireDuration('offset', d.offset);
      requireStatusFor(command.type, state, {
        registered: 'no deadline runs before it is assigned',
        triaged: 'no deadline runs before it is assigned',
        result_reported: 'its result was reported, so no deadline runs',
        accepted: 'its result was accepted, so no deadline runs',
      });
      if (deadlineVersion !== state.deadlineVersion) {
        refuse(
          command.type,
          state,
          `the deadline moved (version ${state.deadlineVersion} now): the reminder for version ${deadlineVersion} no longer applies`,
        );
      }
      // The worker may run a job twice (a retry after a crash): the same reminder is recorded once.
      if (state.reminders.some((r) => r.deadlineVersion === deadlineVersion && r.offset === offset)) return [];
      return [
        {
          type: 'ReminderSent',
          data: {
            ...base,
            deadlineVersion,
            offset,
            deadline: state.deadline!,
            leadUnitId: leadUnitOf(state),
            coUnitIds: state.coUnitIds,
          },
        },
      ];
    }

    case 'RequestProgress': {
      const month = requireMonth('month', command.data.month);
      const dueBy = requireInstant('dueBy', command.data.dueBy);
      if (dueBy <= at) throw new InvalidCommand('dueBy', `dueBy must be after the request (${at})`);
      requireStatusFor(command.type, state, {
        registered: 'no one rectifies it before it is assigned',
        triaged: 'no one rectifies it before it is assigned',
        result_reported: 'its result was reported, so there is no progress to report',
        accepted: 'its result was accepted, so there is no progress to report',
      });
      // the cron job may run twice (a retry, two workers): one request per month
      if (state.progressRequests.some((r) => r.month === month)) return [];
      return [
        {
          type: 'ProgressRequested',
          data: { ...base, month, dueBy, leadUnitId: leadUnitOf(state), coUnitIds: state.coUnitIds },
        },
      ];
    }

    case 'RemindProgress': {
      const month = requireMonth('month', command.data.month);
      requireStatusFor(command.type, state, {
        registered: 'no one rectifies it before it is assigned',
        triaged: 'no one rectifies it before it is assigned',
        result_reported: 'its result was reported, so there is no progress to report',
        accepted: 'its result was accepted, so there is no progress to report',
      });
      const request = state.progressRequests.find((r) => r.month === month);
      if (!request) refuse(command.type, state, `no progress report was requested for ${month}`);
      if (at < request!.dueBy)
        refuse(command.type, state, `the report for ${month} is not due before ${request!.dueBy}`);
      // a report since the request answers it; a reminder is sent once
      if (request!.remindedAt !== null || state.progress.some((p) => p.at >= request!.requestedAt)) return [];
      return [
        {
          type: 'ProgressReminderSent',
          data: { ...base, month, dueBy: request!.dueBy, leadUnitId: leadUnitOf(state) },
        },
      ];
    }

    default: {
      const unknown: never = command;
      throw new InvalidCommand('type', `unknown issue command ${(unknown as { type: string }).type}`);
    }
  }
}

/** The terms of an (re-)assignment, checked; the deadline must be after the command. */
function requireAssignment(d: Assignment, at: string) {
  const leadUnitId = requireText('leadUnitId', d.leadUnitId);
  const coUnitIds = [...new Set(requireStringList('coUnitIds', d.coUnitIds))];
  if (coUnitIds.includes(leadUnitId)) throw new InvalidCommand('coUnitIds', 'the lead unit cannot also be a co-unit');
  const responsiblePerson = {
    name: requireText('responsiblePerson.name', d.responsiblePerson?.name),
    ...(d.responsiblePerson?.title !== undefined
      ? { title: requireText('responsiblePerson.title', d.responsiblePerson.title) }
      : {}),
  };
  return {
    leadUnitId,
    coUnitIds,
    responsiblePerson,
    deadline: requireFutureInstant('deadline', d.deadline, at),
    deadlineWorkingDays:
      d.deadlineWorkingDays === undefined
        ? null
        : requireInteger('deadlineWorkingDays', d.deadlineWorkingDays, 1, 3650),
    instructions: optionalText('instructions', d.instructions),
    mode: requireOneOf('mode', d.mode, ASSIGNMENT_MODES),
  };
}

function lapsePendingExtension(
  state: IssueState,
  base: { issueId: string; at: string; by: string },
  because: 'result_reported' | 'withdrawn',
): IssueEvent[] {
  const pending = pendingExtensionRequest(state);
  return pending ? [{ type: 'ExtensionRequestLapsed', data: { ...base, requestId: pending.requestId, because } }] : [];
}

function requirePercent(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100)
    throw new InvalidCommand('percent', 'must be a number from 0 to 100');
  return value;
}

/** At least one measure, each with a description, an owner and a due date no later than the deadline. */
function requireMeasures(value: unknown, deadline: string | null): Measure[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InvalidCommand('measures', 'a plan needs at least one measure');
  return value.map((m: Partial<Measure> | undefined, i) => {
    const field = `measures[${i}]`;
    if (typeof m !== 'object' || m === null) throw new InvalidCommand(field, 'must be {description, owner, dueDate}');
    const dueDate = requireDateOrInstant(`${field}.dueDate`, m.dueDate);
    // the decider knows no time zone: a date is late only after the deadline's UTC date (lenient by under a day)
    const late = deadline !== null && (dueDate.length === 10 ? dueDate > deadline.slice(0, 10) : dueDate > deadline);
    if (late) {
      throw new InvalidCommand(
        `${field}.dueDate`,
        `is after the issue's deadline (${deadline}); request an extension first`,
      );
    }
    return {
      description: requireText(`${field}.description`, m.description),
      owner: requireText(`${field}.owner`, m.owner),
      dueDate,
    };
  });
}

function requireAccountabilityTarget(value: unknown) {
  if (typeof value !== 'object' || value === null)
    throw new InvalidCommand('target', 'must be {kind: person|unit, name?, unitId?}');
  const t = value as { kind?: unknown; name?: unknown; unitId?: unknown };
  const kind = requireOneOf('target.kind', t.kind, ['person', 'unit'] as const);
  if (kind === 'person' && t.name === undefined) throw new InvalidCommand('target.name', 'a person target needs name');
  if (kind === 'unit' && t.unitId === undefined)
    throw new InvalidCommand('target.unitId', 'a unit target needs unitId');
  return {
    kind,
    ...(t.name !== undefined ? { name: requireText('target.name', t.name) } : {}),
    ...(t.unitId !== undefined ? { unitId: requireText('target.unitId', t.unitId) } : {}),
  };
}

export const issueDecider: Decider<IssueState, IssueCommand, IssueEvent> = {
  decide: decideIssue,
  evolve: evolveIssue,
  initialState: initialIssueState,
};
