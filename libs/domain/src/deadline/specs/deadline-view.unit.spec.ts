import type { IssueEvent } from '../../issue';
import { evolveIssue, initialIssueState } from '../../issue';
import { deadlineViewOf } from '../deadline-view';
import {
  assessed,
  assigned,
  at,
  closed,
  DEADLINE,
  escalated,
  EXTENDED,
  extended,
  ISSUE,
  OTHER_UNIT,
  planned,
  progressRequested,
  registered,
  reminded,
  reopened,
  REOPENED,
  resultReported,
  UNIT,
  withdrawn,
} from './issue-story';

/** given these events (folded with the domain's own evolve), then this view */
const given = (events: IssueEvent[]) => ({
  then: (expected: ReturnType<typeof deadlineViewOf>) =>
    expect(deadlineViewOf(events.reduce(evolveIssue, initialIssueState()))).toEqual(expected),
  thenMatches: (expected: Record<string, unknown>) =>
    expect(deadlineViewOf(events.reduce(evolveIssue, initialIssueState()))).toMatchObject(expected),
});

describe('the deadline view: what the worker schedules, derived from the folded issue', () => {
  it('nothing before an assignment: no deadline has ever run', () => {
    given([]).then(null);
    given([registered]).then(null);
  });

  it('an assignment starts version 1 of the deadline, open, set at the assignment', () =>
    given([registered, assigned()]).then({
      issueId: ISSUE,
      status: 'assigned',
      leadUnitId: UNIT,
      deadline: DEADLINE,
      deadlineVersion: 1,
      setAt: at(1),
      escalationLevel: 0,
      remindedOffsets: [],
      open: true,
      progressMonth: null,
    }));

  it('a plan keeps it open, in progress', () =>
    given([registered, assigned(), planned]).thenMatches({ status: 'in_progress', open: true, deadlineVersion: 1 }));

  it('reminders count for the version they were sent for', () =>
    given([registered, assigned(), reminded(1, 'P3D'), reminded(1, 'P1D')]).thenMatches({
      remindedOffsets: ['P3D', 'P1D'],
    }));

  it('an approved extension is a new version set at the approval, with no reminders yet', () =>
    given([registered, assigned(), reminded(1, 'P3D'), extended]).thenMatches({
      deadline: EXTENDED,
      deadlineVersion: 2,
      setAt: at(5),
      remindedOffsets: [],
      open: true,
    }));

  it('a re-assignment (改派) moves the lead unit and starts a new version', () =>
    given([registered, assigned(), planned, reminded(1, 'P3D'), assigned(9, OTHER_UNIT, 2, UNIT)]).thenMatches({
      status: 'assigned',
      leadUnitId: OTHER_UNIT,
      deadlineVersion: 2,
      setAt: at(9),
      remindedOffsets: [],
    }));

  it('an escalation raises the level the ladder has reached', () =>
    given([registered, assigned(), escalated]).thenMatches({ escalationLevel: 2, open: true }));

  it('a reported result stops the deadline', () =>
    given([registered, assigned(), resultReported]).thenMatches({ status: 'result_reported', open: false }));

  it('a satisfied assessment keeps it stopped (accepted)', () =>
    given([registered, assigned(), resultReported, assessed('satisfied')]).thenMatches({
      status: 'accepted',
      open: false,
    }));

  it('an unsatisfied assessment reopens it with a new version and a fresh ladder of reminders', () =>
    given([registered, assigned(), reminded(1, 'P1D'), resultReported, assessed('unsatisfied'), reopened]).then({
      issueId: ISSUE,
      status: 'reopened',
      leadUnitId: UNIT,
      deadline: REOPENED,
      deadlineVersion: 2,
      setAt: at(7),
      escalationLevel: 0,
      remindedOffsets: [],
      open: true,
      progressMonth: null,
    }));

  it('closing and withdrawing stop it', () => {
    given([registered, assigned(), resultReported, assessed('satisfied'), closed]).thenMatches({
      status: 'closed',
      open: false,
    });
    given([registered, assigned(), withdrawn]).thenMatches({ status: 'withdrawn', open: false });
  });

  it('the latest monthly progress request names the month', () =>
    given([registered, assigned(), progressRequested]).thenMatches({ progressMonth: '2026-03' }));
});
