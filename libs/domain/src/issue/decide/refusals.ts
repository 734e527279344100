import { IllegalTransition } from '../../errors';
import { requireInstant, requireText } from '../../validation';
import type { IssueCommand, IssueCommandType } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import { ISSUE_LIFECYCLE, NEXT_STEP } from '../issue.lifecycle';
import { IssueState, pendingExtensionRequest } from '../issue.state';
import type { IssueStatus } from '../issue.vocabulary';

/** What every issue event's data starts with: the issue, the command's time and its actor. */
export interface EventBase {
  issueId: string;
  at: string;
  by: string;
}

/** The event base of `command`, its meta checked (the time normalised to UTC). */
export function eventBase(command: IssueCommand): EventBase {
  const at = requireInstant('meta.at', command.meta.at);
  const by = requireText('meta.actor.id', command.meta.actor?.id);
  return { issueId: requireText('issueId', command.data.issueId), at, by };
}

/** Refuses `command` in the issue's current status, saying what to do instead. */
export function refuse(command: IssueCommandType, state: IssueState, advice: string = NEXT_STEP[state.status]): never {
  const action = ISSUE_LIFECYCLE[command].action;
  throw new IllegalTransition(`cannot ${action} an issue that is ${state.status}; ${advice}`, state.status, command);
}

export type AdviceByStatus = Partial<Record<IssueState['status'], string>>;

/** An issue that exists: every command but RegisterIssue needs one. */
export type RegisteredIssue = IssueState & { status: IssueStatus };

/**
 * Status gate from the lifecycle table; `advice` may name a better next step for this command. Only
 * RegisterIssue is accepted on no issue, and it has no gate, so a passed gate means the issue exists.
 */
export function requireStatusFor(
  command: Exclude<IssueCommandType, 'RegisterIssue'>,
  state: IssueState,
  advice?: AdviceByStatus,
): asserts state is RegisteredIssue {
  if (!ISSUE_LIFECYCLE[command].from.includes(state.status)) refuse(command, state, advice?.[state.status]);
}

/** The same advice for each of `statuses`. */
export const sameAdvice = (statuses: readonly IssueStatus[], advice: string): AdviceByStatus =>
  Object.fromEntries(statuses.map((s) => [s, advice]));

/** The statuses before a unit is assigned: no deadline runs and no unit can be held to account. */
export const NOT_YET_ASSIGNED = ['registered', 'triaged'] as const satisfies readonly IssueStatus[];

/** Advice for a command that needs an assigned unit, saying why. */
export const assignFirst = (why: string): AdviceByStatus => sameAdvice(NOT_YET_ASSIGNED, `assign it first: ${why}`);

/** Advice that several commands give. */
export const ADVICE = {
  awaitingResult: 'the unit has not reported a result yet',
  awaitingClosing: NEXT_STEP.accepted,
  notYetAccepted:
    'only an accepted issue (assessed satisfied or basically satisfied) can be closed; its result must be reported and accepted first',
  resultAlreadyReported: 'a result has already been reported, so it can only be assessed and closed',
  noDeadlineBeforeAssignment: 'no deadline runs before it is assigned',
  noOneRectifiesBeforeAssignment: 'no one rectifies it before it is assigned',
  resultAcceptedNoDeadline: 'its result was accepted, so no deadline runs',
} as const;

/** A worker's command for deadline version `given` once the deadline has moved on to `current`. */
export const staleDeadlineVersion = (current: number, given: number, what: string) =>
  `the deadline moved (version ${current} now): the ${what} for version ${given} no longer applies`;

/**
 * The lead unit of an issue that has one (every status from `assigned` on). An issue resolved on the spot (立行立改)
 * was closed with none: a command that would hold a unit to account on it is refused.
 */
export function leadUnitOf(state: IssueState): string {
  if (state.leadUnitId === null)
    throw new IllegalTransition(
      `it was resolved on the spot (立行立改) and never assigned, so no unit answers for it; register a new issue if the problem recurs`,
      state.status,
      'a command on the lead unit',
    );
  return state.leadUnitId;
}

/** A pending extension request becomes moot when the result is reported or the issue withdrawn. */
export function lapsePendingExtension(
  state: IssueState,
  base: EventBase,
  because: 'result_reported' | 'withdrawn',
): IssueEvent[] {
  const pending = pendingExtensionRequest(state);
  return pending ? [{ type: 'ExtensionRequestLapsed', data: { ...base, requestId: pending.requestId, because } }] : [];
}
