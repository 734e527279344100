import { fold } from '../../decider';
import { IllegalTransition, NotFound } from '../../errors';
import type { IssueCommand, IssueCommandType } from '../issue.commands';
import { issueDecider } from '../issue.decider';
import type { IssueEvent } from '../issue.events';
import { ISSUE_LIFECYCLE } from '../issue.lifecycle';
import { IssueState, issueView } from '../issue.state';
import { evidenceFile } from '../../testing/evidence-file';
import * as f from './fixtures';

/**
 * The lifecycle table (ISSUE_LIFECYCLE, which the API documents) against the decider: every command in
 * every status is accepted exactly where the table says, and refused with IllegalTransition naming that
 * status everywhere else. The per-command specs state the same from the other side, one file each.
 */
describe('the lifecycle table holds for every command in every status', () => {
  /** A valid command of each type for an issue in `state`, at hour 9 (before the first deadline). */
  const validCommand = (type: IssueCommandType, state: IssueState): IssueCommand => {
    switch (type) {
      case 'RegisterIssue':
        return f.command(type, { source: 'petition', category: 'c', title: 't', description: 'd' });
      case 'TriageIssue':
        return f.command(type, { priority: 'urgent' });
      case 'AssignIssue':
        return f.command(type, {
          leadUnitId: f.UNIT,
          responsiblePerson: { name: '王五' },
          deadline: f.DEADLINE,
          mode: 'leader',
        });
      case 'ReassignIssue':
        return f.command(type, {
          leadUnitId: f.OTHER_UNIT,
          responsiblePerson: { name: '赵六' },
          deadline: f.DEADLINE,
          mode: 'leader',
          reason: '职责不符',
        });
      case 'SubmitPlan':
        return f.command(type, { measures: [{ description: 'd', owner: 'o', dueDate: '2026-03-05' }] });
      case 'ReportProgress':
        return f.command(type, { text: 't' });
      case 'RequestExtension':
        return f.command(type, { requestId: f.OTHER_REQUEST, newDeadline: f.at(24 * 40), reason: 'r' });
      case 'DecideExtension':
        return f.command(type, { requestId: f.REQUEST, approved: false });
      case 'ReportResult':
        return f.command(type, { summary: 's' });
      case 'AssessResult':
        return f.command(type, { verdict: 'satisfied' });
      case 'RecordFinding':
        return f.command(type, { kind: 'perfunctory', note: 'n' });
      case 'RecordReporterFeedback':
        return f.command(type, { channel: 'phone', verdict: 'satisfied' });
      case 'CloseIssue':
        return f.command(type, {});
      case 'WithdrawIssue':
        return f.command(type, { reason: 'r' });
      case 'EscalateIssue':
        return f.command(type, { level: 1, reason: 'r' });
      case 'RecordAccountability':
        return f.command(type, { measure: 'summons', target: { kind: 'person', name: '王五' }, reason: 'r' });
      case 'ProposeAccountability':
        return f.command(type, {
          proposalId: 'p-2',
          kind: 'summons',
          target: { kind: 'unit', unitId: f.UNIT },
          reason: 'r',
        });
      case 'DecideProposal':
        return f.command(type, { proposalId: 'p-1', approved: true });
      case 'ListIssue':
        return f.command(type, { list: 'black', reason: 'r' });
      case 'SendReminder':
        return f.command(type, { deadlineVersion: Math.max(1, state.deadlineVersion), offset: 'P1D' });
      case 'OrderTimeLimit':
      case 'ReopenIssue':
        return f.command(type, { deadline: f.at(24 * 40), reason: '整改不到位' });
      case 'RederiveDeadline':
        return f.command(type, {
          deadlineVersion: Math.max(1, state.deadlineVersion),
          deadline: f.at(24 * 12),
          provisionalYears: [],
          calendarYear: 2027,
        });
      case 'RequestProgress':
        return f.command(type, { month: '2026-03', dueBy: f.at(24 * 5) });
      case 'RemindProgress':
        return f.command(type, { month: '2026-03' });
      case 'ResolveOnSpot':
        return f.command(type, { summary: '当场整改' });
      case 'EraseReporter':
        return f.command(type, { reporterId: 'reporter-1', keyId: 'key-1', reason: 'PIPL' });
      default:
        throw new Error(`no valid command of type ${type as string} in this spec: add one`);
    }
  };

  /** DecideExtension needs a request to decide: give every status that can hold one a pending request. */
  const historyFor = (type: IssueCommandType, status: (typeof f.ALL_STATUSES)[number]): IssueEvent[] => {
    const open = ['assigned', 'in_progress', 'reopened'].includes(status);
    if (type === 'DecideExtension' && open)
      return [...f.IN[status], f.changed(f.extensionRequested, { at: f.at(8), newDeadline: f.at(24 * 40) })];
    // DecideProposal needs a pending proposal to decide
    if (type === 'DecideProposal') return [...f.IN[status], f.proposed('p-1', 8)];
    // RemindProgress needs the month's request, already due
    if (type === 'RemindProgress' && open) return [...f.IN[status], f.progressRequested(8, f.at(8.5))];
    // EraseReporter erases a sealed reporter (one recorded in clear cannot be)
    if (type === 'EraseReporter')
      return f.IN[status].map((e) =>
        e.type === 'IssueRegistered'
          ? {
              ...e,
              data: {
                ...e.data,
                reporter: {
                  reporterId: 'reporter-1',
                  sealed: { alg: 'A', keyId: 'key-1', nonce: 'n', ciphertext: 'c' },
                },
              },
            }
          : e,
      );
    // RederiveDeadline moves only a deadline counted in working days
    if (type === 'RederiveDeadline')
      return f.IN[status].map((e) =>
        e.type === 'IssueAssigned' ? { ...e, data: { ...e.data, deadlineWorkingDays: 7 } } : e,
      );
    return f.IN[status];
  };

  const commandTypes = Object.keys(ISSUE_LIFECYCLE) as IssueCommandType[];
  const cases = commandTypes
    .filter((t) => t !== 'RegisterIssue' && t !== 'DecideExtension')
    .flatMap((type) => f.ALL_STATUSES.map((status) => [type, status] as const))
    // a reopening sets an instant deadline, which the calendar never moves (rederive-deadline.unit.spec.ts)
    .filter(([type, status]) => !(type === 'RederiveDeadline' && status === 'reopened'));

  it.each(cases)('%s when %s', (type, status) => {
    const history = historyFor(type, status);
    const state = fold(issueDecider, history);
    const decide = () => issueDecider.decide(validCommand(type, state), state);
    if (ISSUE_LIFECYCLE[type].from.includes(status)) {
      expect(decide).not.toThrow();
    } else {
      expect(decide).toThrow(IllegalTransition);
      expect(decide).toThrow(new RegExp(`^cannot ${ISSUE_LIFECYCLE[type].action} an issue that is ${status}; `));
      try {
        decide();
      } catch (error) {
        expect(error).toMatchObject({ state: status, command: type, code: 'illegal_transition' });
      }
    }
  });

  it.each(['assigned', 'in_progress', 'reopened'] as const)(
    'DecideExtension when %s, with a pending request',
    (status) => {
      const state = fold(issueDecider, historyFor('DecideExtension', status));
      expect(() => issueDecider.decide(validCommand('DecideExtension', state), state)).not.toThrow();
    },
  );

  it.each(commandTypes.filter((t) => t !== 'RegisterIssue'))(
    '%s on an issue that does not exist is NotFound',
    (type) => {
      const state = issueDecider.initialState();
      expect(() => issueDecider.decide(validCommand(type, state), state)).toThrow(NotFound);
    },
  );

  it('RegisterIssue only when nothing exists', () => expect(ISSUE_LIFECYCLE.RegisterIssue.from).toEqual(['none']));
});

describe('a whole story, as DESIGN.md §2.1 tells it', () => {
  it('registration → triage → assignment → plan → progress → extension rejected, then approved → result → unsatisfied → reopened → progress → result → satisfied → 销号', () => {
    let state = issueDecider.initialState();
    const run = (command: IssueCommand) => {
      const events = issueDecider.decide(command, state);
      state = events.reduce(issueDecider.evolve, state);
      return events.map((e) => e.type);
    };
    expect(
      run(
        f.command(
          'RegisterIssue',
          { source: 'undercover_visit', category: '窗口服务', title: '推诿扯皮', description: '暗访发现' },
          0,
        ),
      ),
    ).toEqual(['IssueRegistered']);
    expect(run(f.command('TriageIssue', { priority: 'high' }, 1))).toEqual(['IssueTriaged']);
    expect(
      run(
        f.command(
          'AssignIssue',
          {
            leadUnitId: f.UNIT,
            coUnitIds: [f.CO_UNIT],
            responsiblePerson: { name: '王五' },
            deadline: f.DEADLINE,
            deadlineWorkingDays: 8,
            mode: 'leader',
          },
          2,
        ),
      ),
    ).toEqual(['IssueAssigned']);
    expect(
      run(
        f.command(
          'SubmitPlan',
          { measures: [{ description: '建立首问负责制', owner: '王五', dueDate: '2026-03-09' }] },
          3,
        ),
      ),
    ).toEqual(['PlanSubmitted']);
    expect(run(f.command('ReportProgress', { text: '已培训', percent: 40 }, 24 * 5))).toEqual(['ProgressReported']);
    expect(
      run(f.command('RequestExtension', { requestId: f.REQUEST, newDeadline: f.at(24 * 15), reason: '招标' }, 24 * 6)),
    ).toEqual(['ExtensionRequested']);
    expect(
      run(f.command('DecideExtension', { requestId: f.REQUEST, approved: false, note: '理由不充分' }, 24 * 6 + 1)),
    ).toEqual(['ExtensionRejected']);
    expect(
      run(
        f.command(
          'RequestExtension',
          { requestId: f.OTHER_REQUEST, newDeadline: f.EXTENDED_DEADLINE, reason: '需协调多部门' },
          24 * 7,
        ),
      ),
    ).toEqual(['ExtensionRequested']);
    expect(run(f.command('DecideExtension', { requestId: f.OTHER_REQUEST, approved: true }, 24 * 7 + 1))).toEqual([
      'ExtensionApproved',
    ]);
    expect(
      run(
        f.command(
          'ReportResult',
          { summary: '已整改', evidence: [evidenceFile('report.pdf', 'application/pdf')] },
          24 * 14,
        ),
      ),
    ).toEqual(['ResultReported']);
    expect(
      run(
        f.command(
          'AssessResult',
          { verdict: 'unsatisfied', comment: '群众仍不满意', newDeadline: f.REOPENED_DEADLINE },
          24 * 15,
        ),
      ),
    ).toEqual(['ResultAssessed', 'IssueReopened']);
    expect(run(f.command('ReportProgress', { text: '二次整改中' }, 24 * 16))).toEqual(['ProgressReported']);
    expect(state.status).toBe('in_progress');
    expect(run(f.command('ReportResult', { summary: '二次整改完成' }, 24 * 25))).toEqual(['ResultReported']);
    expect(run(f.command('AssessResult', { verdict: 'satisfied' }, 24 * 26))).toEqual(['ResultAssessed']);
    expect(run(f.command('CloseIssue', { note: '销号备案' }, 24 * 27))).toEqual(['IssueClosed']);

    expect(issueView(state)).toMatchObject({
      status: 'closed',
      source: 'undercover_visit',
      priority: 'high',
      leadUnitId: f.UNIT,
      coUnitIds: [f.CO_UNIT],
      deadline: f.REOPENED_DEADLINE,
      deadlineVersion: 3,
      deadlineHistory: [
        { deadlineVersion: 1, because: 'assigned' },
        { deadlineVersion: 2, because: 'extension_approved' },
        { deadlineVersion: 3, because: 'reopened' },
      ],
      escalationLevel: 0,
      assessments: [{ verdict: 'unsatisfied' }, { verdict: 'satisfied' }],
      extensionRequests: [{ status: 'rejected' }, { status: 'approved' }],
      result: { summary: '二次整改完成', onTime: true },
      resultReportedAt: f.at(24 * 25),
      closedAt: f.at(24 * 27),
      closedOnTime: true,
    });
  });
});
