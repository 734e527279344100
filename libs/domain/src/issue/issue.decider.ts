import type { Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import { evolveIssue, initialIssueState, IssueState, OPEN_STATUSES } from './issue.state';
import type { EscalationLevel, IssueCommand, IssueEvent, IssueStatus } from './issue.types';

type State = IssueState['status'];

/** What to do instead, said after every refusal: the lifecycle read as advice. */
const NEXT_STEP: Record<State, string> = {
  none: 'register it first',
  registered: 'assign it first',
  triaged: 'assign it first',
  assigned: 'the unit works on it now',
  in_progress: 'the unit works on it now',
  result_reported: 'it awaits assessment',
  accepted: 'it awaits closing (销号)',
  reopened: 'the unit works on it again',
  closed: 'it is closed (销号备案)',
  withdrawn: 'it was withdrawn',
};

function refuse(action: string, state: IssueState, command: string, hint = NEXT_STEP[state.status]): never {
  const where = state.status === 'none' ? 'an issue that does not exist' : `an issue that is ${state.status}`;
  throw new IllegalTransition(`cannot ${action} ${where}; ${hint}`, state.status, command);
}

function requireStatus(state: IssueState, allowed: readonly State[], action: string, command: string): void {
  if (!allowed.includes(state.status)) refuse(action, state, command);
}

function requireFuture(field: string, instant: string, at: string, after?: string | null): void {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) throw new InvalidCommand(field, `"${instant}" is not an ISO-8601 instant`);
  if (t <= Date.parse(at)) throw new InvalidCommand(field, `must be after the time of the command (${at})`);
  if (after && t <= Date.parse(after)) throw new InvalidCommand(field, `must be after the current deadline (${after})`);
}

const isOnTime = (at: string, deadline: string | null) => deadline === null || Date.parse(at) <= Date.parse(deadline);

export function decideIssue(command: IssueCommand, state: IssueState): IssueEvent[] {
  const at = command.meta.at;
  const by = command.meta.actor.id;
  const issueId = command.data.issueId;
  const base = { issueId, at, by };

  if (command.type !== 'RegisterIssue' && state.status === 'none') {
    throw new NotFound(`issue ${issueId} does not exist`);
  }

  switch (command.type) {
    case 'RegisterIssue': {
      if (state.status !== 'none') throw new AlreadyExists(`issue ${issueId} is already registered`);
      const d = command.data;
      return [
        {
          type: 'IssueRegistered',
          data: {
            ...base,
            source: d.source,
            category: d.category,
            title: d.title,
            description: d.description,
            location: d.location ?? null,
            reporter: d.reporter ? { ...d.reporter, confidential: d.reporter.confidential ?? false } : null,
            attachments: d.attachments ?? [],
            ...(d.origin ? { origin: d.origin } : {}),
          },
        },
      ];
    }

    case 'TriageIssue': {
      requireStatus(state, ['registered', 'triaged'], 'triage', command.type);
      const d = command.data;
      return [{ type: 'IssueTriaged', data: { ...base, category: d.category ?? state.category!, priority: d.priority ?? state.priority, note: d.note ?? null } }];
    }

    case 'AssignIssue': {
      if (state.status !== 'registered' && state.status !== 'triaged') {
        refuse('assign', state, command.type, state.leadUnitId ? `it is already assigned to unit ${state.leadUnitId}` : NEXT_STEP[state.status]);
      }
      const d = command.data;
      requireFuture('deadline', d.deadline, at);
      const coUnitIds = [...new Set(d.coUnitIds ?? [])];
      if (coUnitIds.includes(d.leadUnitId)) throw new InvalidCommand('coUnitIds', 'the lead unit cannot also be a co-unit');
      return [
        {
          type: 'IssueAssigned',
          data: {
            ...base,
            leadUnitId: d.leadUnitId,
            coUnitIds,
            responsiblePerson: d.responsiblePerson,
            deadline: new Date(d.deadline).toISOString(),
            deadlineWorkingDays: d.deadlineWorkingDays ?? null,
            deadlineVersion: state.deadlineVersion + 1,
            instructions: d.instructions ?? null,
            mode: d.mode,
          },
        },
      ];
    }

    case 'SubmitPlan': {
      requireStatus(state, ['assigned', 'in_progress', 'reopened'], 'submit a plan for', command.type);
      if (command.data.measures.length === 0) throw new InvalidCommand('measures', 'a plan needs at least one measure');
      return [{ type: 'PlanSubmitted', data: { ...base, measures: command.data.measures } }];
    }

    case 'ReportProgress': {
      requireStatus(state, ['assigned', 'in_progress', 'reopened'], 'report progress on', command.type);
      const percent = command.data.percent;
      if (percent !== undefined && (percent < 0 || percent > 100)) throw new InvalidCommand('percent', 'must be between 0 and 100');
      return [{ type: 'ProgressReported', data: { ...base, text: command.data.text, percent: percent ?? null } }];
    }

    case 'RequestExtension': {
      requireStatus(state, OPEN_STATUSES as State[], 'request an extension for', command.type);
      const pending = state.extensionRequests.find((r) => r.status === 'pending');
      if (pending) refuse('request another extension for', state, command.type, `request ${pending.requestId} is still pending a decision`);
      if (state.extensionRequests.some((r) => r.requestId === command.data.requestId)) throw new AlreadyExists(`extension request ${command.data.requestId} exists`);
      requireFuture('newDeadline', command.data.newDeadline, at, state.deadline);
      return [{ type: 'ExtensionRequested', data: { ...base, requestId: command.data.requestId, newDeadline: new Date(command.data.newDeadline).toISOString(), reason: command.data.reason } }];
    }

    case 'DecideExtension': {
      const request = state.extensionRequests.find((r) => r.requestId === command.data.requestId);
      if (!request) throw new NotFound(`issue ${issueId} has no extension request ${command.data.requestId}`);
      if (request.status !== 'pending') refuse('decide again on an extension request of', state, command.type, `request ${request.requestId} was already ${request.status}`);
      requireStatus(state, OPEN_STATUSES as State[], 'decide an extension request of', command.type);
      if (!command.data.approved) return [{ type: 'ExtensionRejected', data: { ...base, requestId: request.requestId, note: command.data.note ?? null } }];
      return [
        {
          type: 'ExtensionApproved',
          data: { ...base, requestId: request.requestId, deadline: request.newDeadline, deadlineVersion: state.deadlineVersion + 1, note: command.data.note ?? null },
        },
      ];
    }

    case 'ReportResult': {
      requireStatus(state, OPEN_STATUSES as State[], 'report a result on', command.type);
      return [
        {
          type: 'ResultReported',
          data: { ...base, summary: command.data.summary, evidence: command.data.evidence ?? [], leadUnitId: state.leadUnitId!, deadline: state.deadline!, onTime: isOnTime(at, state.deadline) },
        },
      ];
    }

    case 'AssessResult': {
      requireStatus(state, ['result_reported'], 'assess', command.type);
      const d = command.data;
      const assessed: IssueEvent = { type: 'ResultAssessed', data: { ...base, verdict: d.verdict, comment: d.comment ?? null, leadUnitId: state.leadUnitId! } };
      if (d.verdict !== 'unsatisfied') {
        if (d.newDeadline !== undefined) throw new InvalidCommand('newDeadline', 'is only given with an unsatisfied verdict');
        return [assessed];
      }
      if (!d.newDeadline) throw new InvalidCommand('newDeadline', 'is required when the verdict is unsatisfied (the issue reopens with it)');
      requireFuture('newDeadline', d.newDeadline, at);
      return [assessed, { type: 'IssueReopened', data: { ...base, deadline: new Date(d.newDeadline).toISOString(), deadlineVersion: state.deadlineVersion + 1 } }];
    }

    case 'RecordFinding': {
      if (state.firstResultReportedAt === null || state.status === 'withdrawn') {
        refuse('record a finding of perfunctory rectification on', state, command.type, 'no result has been reported yet');
      }
      return [{ type: 'FindingRecorded', data: { ...base, kind: command.data.kind, note: command.data.note, leadUnitId: state.leadUnitId! } }];
    }

    case 'CloseIssue': {
      requireStatus(state, ['accepted'], 'close', command.type);
      return [{ type: 'IssueClosed', data: { ...base, note: command.data.note ?? null, deadline: state.deadline!, onTime: state.result?.onTime ?? true } }];
    }

    case 'WithdrawIssue': {
      if (state.firstResultReportedAt !== null && state.status !== 'withdrawn') {
        refuse('withdraw', state, command.type, 'a result has already been reported, so it can only be assessed and closed');
      }
      requireStatus(state, ['registered', 'triaged', 'assigned', 'in_progress'], 'withdraw', command.type);
      return [{ type: 'IssueWithdrawn', data: { ...base, reason: command.data.reason, fromStatus: state.status as IssueStatus } }];
    }

    case 'EscalateIssue': {
      const d = command.data;
      if (!Number.isInteger(d.level) || d.level < 1 || d.level > 4) throw new InvalidCommand('level', 'must be 1 (督办), 2 (重点督办), 3 (约谈) or 4 (问责)');
      if (d.automatic) {
        // the worker's job may be stale or run twice: what no longer applies is a no-op, not an error
        const stale = d.deadlineVersion !== undefined && d.deadlineVersion !== state.deadlineVersion;
        if (stale || !OPEN_STATUSES.includes(state.status) || d.level <= state.escalationLevel) return [];
      } else {
        requireStatus(state, OPEN_STATUSES as State[], 'escalate', command.type);
        if (d.level <= state.escalationLevel) {
          refuse(`escalate to level ${d.level}`, state, command.type, `it is already at level ${state.escalationLevel}, and escalations never go down`);
        }
      }
      return [
        {
          type: 'IssueEscalated',
          data: {
            ...base,
            level: d.level as EscalationLevel,
            fromLevel: state.escalationLevel,
            reason: d.reason,
            automatic: d.automatic ?? false,
            deadlineVersion: state.deadlineVersion,
            leadUnitId: state.leadUnitId!,
          },
        },
      ];
    }

    case 'RecordAccountability': {
      if (state.leadUnitId === null || state.status === 'withdrawn') refuse('record accountability on', state, command.type);
      const d = command.data;
      if (d.target.kind === 'unit' && !d.target.unitId) throw new InvalidCommand('target.unitId', 'a unit target needs unitId');
      if (d.target.kind === 'person' && !d.target.name) throw new InvalidCommand('target.name', 'a person target needs name');
      return [{ type: 'AccountabilityRecorded', data: { ...base, measure: d.measure, target: d.target, reason: d.reason } }];
    }

    case 'ListIssue': {
      if (state.leadUnitId === null || state.status === 'withdrawn') refuse(`put on the ${command.data.list} list`, state, command.type);
      if (state.lists.some((l) => l.list === command.data.list)) throw new AlreadyExists(`issue ${issueId} is already on the ${command.data.list} list`);
      return [{ type: 'IssueListed', data: { ...base, list: command.data.list, reason: command.data.reason } }];
    }

    case 'SendReminder': {
      const d = command.data;
      // Idempotent for the worker: a stale, repeated or no longer applicable reminder records nothing.
      const key = `${d.deadlineVersion}/${d.offset}`;
      if (!OPEN_STATUSES.includes(state.status) || d.deadlineVersion !== state.deadlineVersion || state.reminders.includes(key)) return [];
      return [{ type: 'ReminderSent', data: { ...base, deadlineVersion: d.deadlineVersion, offset: d.offset, deadline: state.deadline!, leadUnitId: state.leadUnitId! } }];
    }
  }
}

export const issueDecider: Decider<IssueState, IssueCommand, IssueEvent> = {
  decide: decideIssue,
  evolve: evolveIssue,
  initialState: initialIssueState,
};
