import { evolveIssue, initialIssueState, IssueState } from '@duban/domain';
import { DEFAULT_CONSEQUENCE_POLICY, parseConsequencePolicy } from './consequence-policy';
import { consequenceSteps, RuleContext, Trigger } from './consequence-rules';

const UNIT = '22222222-2222-4222-8222-222222222222';
const base = { issueId: 'i-1', at: '2026-03-02T01:00:00.000Z', by: 'reg-1' };

/** An issue assigned to UNIT, then changed by `patch` (status, escalation level …). */
function issue(patch: Partial<IssueState> = {}): IssueState {
  const registered = evolveIssue(initialIssueState(), {
    type: 'IssueRegistered',
    data: {
      ...base,
      source: 'hotline',
      category: 'c',
      title: '窗口推诿',
      description: 'd',
      location: null,
      reporter: null,
      attachments: [],
    },
  });
  return { ...registered, status: 'in_progress', leadUnitId: UNIT, ...patch };
}

const trigger = (rule: Trigger['rule'], misses = 0): Trigger => ({ eventId: 'evt-1', issueId: 'i-1', rule, misses });
const context: RuleContext = { principalOf: () => ({ name: '赵局长', title: '局长' }), notices: true };
const stepsOf = (t: Trigger, s: IssueState, c = context, policy = DEFAULT_CONSEQUENCE_POLICY) =>
  consequenceSteps(t, s, policy, c);

describe('consequence rules (trigger + issue → follow-up steps)', () => {
  it('black list on an open issue: criticism record, notice, escalation to 2, a 15-working-day time limit, a proposal', () => {
    const steps = stepsOf(trigger('black_list'), issue());
    expect(steps.map((s) => s.step)).toEqual(['criticism_notice', 'notice', 'escalate', 'time_limit', 'proposal']);
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          step: 'criticism_notice',
          measure: 'criticism_notice',
          target: { kind: 'unit', unitId: UNIT },
        }),
        expect.objectContaining({ step: 'escalate', level: 2 }),
        expect.objectContaining({ step: 'time_limit', workingDays: 15, reopen: false }),
        expect.objectContaining({ step: 'proposal', measure: 'disciplinary_referral' }),
      ]),
    );
  });

  it('black list: no escalation when the issue is already at level 2 or above; no notice step without notices', () => {
    const steps = stepsOf(trigger('black_list'), issue({ escalationLevel: 3 }), { ...context, notices: false });
    expect(steps.map((s) => s.step)).toEqual(['criticism_notice', 'time_limit', 'proposal']);
  });

  it('falsified on a closed issue: a summons proposal against the unit head as principal, and reopening', () => {
    const steps = stepsOf(trigger('falsified'), issue({ status: 'closed' }));
    expect(steps).toEqual([
      expect.objectContaining({
        step: 'proposal',
        measure: 'summons',
        target: { kind: 'person', name: '赵局长', unitId: UNIT, principal: true },
      }),
      expect.objectContaining({ step: 'time_limit', reopen: true }),
    ]);
  });

  it('falsified with no unit head in the directory: the proposal names the unit', () => {
    const steps = stepsOf(trigger('falsified'), issue(), { principalOf: () => null, notices: true });
    expect(steps[0]).toMatchObject({ target: { kind: 'unit', unitId: UNIT } });
    expect(steps[1]).toMatchObject({ step: 'time_limit', reopen: false });
  });

  it('perfunctory: only a new time limit (reopened when closed)', () => {
    expect(stepsOf(trigger('perfunctory'), issue())).toEqual([
      expect.objectContaining({ step: 'time_limit', reopen: false }),
    ]);
    expect(stepsOf(trigger('perfunctory'), issue({ status: 'closed' }))).toEqual([
      expect.objectContaining({ step: 'time_limit', reopen: true }),
    ]);
  });

  it('missed progress reports: a level-1 escalation from the Nth miss on, never when already escalated', () => {
    expect(stepsOf(trigger('missed_progress', 1), issue())).toEqual([]);
    expect(stepsOf(trigger('missed_progress', 2), issue())).toEqual([
      expect.objectContaining({ step: 'escalate', level: 1 }),
    ]);
    expect(stepsOf(trigger('missed_progress', 3), issue({ escalationLevel: 1 }))).toEqual([]);
  });

  it('a withdrawn issue, or one with no lead unit, has no follow-ups', () => {
    expect(stepsOf(trigger('black_list'), issue({ status: 'withdrawn' }))).toEqual([]);
    expect(stepsOf(trigger('falsified'), issue({ leadUnitId: null }))).toEqual([]);
  });

  it('the policy turns rules off (null) and changes their numbers', () => {
    const policy = parseConsequencePolicy({ blackList: { proposal: null, timeLimitWorkingDays: 10 }, falsified: null });
    expect(stepsOf(trigger('falsified'), issue(), context, policy)).toEqual([]);
    const steps = stepsOf(trigger('black_list'), issue(), context, policy);
    expect(steps.map((s) => s.step)).not.toContain('proposal');
    expect(steps).toContainEqual(expect.objectContaining({ step: 'time_limit', workingDays: 10 }));
  });
});

describe('the consequence policy file', () => {
  it('empty object: the seeds’ defaults', () => expect(parseConsequencePolicy({})).toEqual(DEFAULT_CONSEQUENCE_POLICY));
  it.each([
    [[], /must be a JSON object/],
    [{ blacklist: {} }, /unknown field\(s\) blacklist/],
    [{ blackList: { escalateToLevel: 5 } }, /blackList.escalateToLevel must be a whole number from 1 to 4/],
    [{ falsified: { proposal: 'fine' } }, /falsified.proposal must be one of/],
    [{ perfunctory: { timeLimitWorkingDays: 0 } }, /perfunctory.timeLimitWorkingDays/],
    [{ blackList: { notice: 'yes' } }, /blackList.notice must be true or false/],
  ])('refuses %j naming the field', (policy, message) => expect(() => parseConsequencePolicy(policy)).toThrow(message));
});
