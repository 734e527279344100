import { deadlineSteps, dueSteps, stepKey, DeadlinePolicy } from '../deadline-schedule';

const DAY = 86_400_000;
const policy: DeadlinePolicy = {
  reminders: [
    { iso: 'P3D', ms: 3 * DAY },
    { iso: 'P1D', ms: DAY },
    { iso: 'PT0S', ms: 0 },
  ],
  escalations: [
    { iso: 'PT0S', ms: 0 },
    { iso: 'P7D', ms: 7 * DAY },
    { iso: 'P15D', ms: 15 * DAY },
    { iso: 'P30D', ms: 30 * DAY },
  ],
};
const running = {
  issueId: 'i1',
  deadline: '2026-03-20T15:59:59.999Z',
  deadlineVersion: 1,
  setAt: '2026-03-01T02:00:00.000Z',
};

describe('the steps of a deadline', () => {
  it('reminders before the deadline, then the ladder after it, in the order they come due', () => {
    expect(deadlineSteps(policy, running).map((s) => [stepKey(s), s.dueAt])).toEqual([
      ['reminder-P3D', '2026-03-17T15:59:59.999Z'],
      ['reminder-P1D', '2026-03-19T15:59:59.999Z'],
      ['reminder-PT0S', '2026-03-20T15:59:59.999Z'],
      ['escalation-1', '2026-03-20T15:59:59.999Z'],
      ['escalation-2', '2026-03-27T15:59:59.999Z'],
      ['escalation-3', '2026-04-04T15:59:59.999Z'],
      ['escalation-4', '2026-04-19T15:59:59.999Z'],
    ]);
  });
  it('leaves out reminders that were already due when the deadline was set', () =>
    expect(deadlineSteps(policy, { ...running, setAt: '2026-03-18T00:00:00.000Z' }).map(stepKey)).toEqual([
      'reminder-P1D',
      'reminder-PT0S',
      'escalation-1',
      'escalation-2',
      'escalation-3',
      'escalation-4',
    ]));
  it('step keys are safe in BullMQ job ids (no colon)', () =>
    expect(deadlineSteps(policy, running).every((s) => !stepKey(s).includes(':'))).toBe(true));
});

describe('due steps: what a firing job catches up on', () => {
  const steps = deadlineSteps(policy, running);
  it('nothing before the first reminder', () =>
    expect(dueSteps(steps, '2026-03-10T00:00:00.000Z', { remindedOffsets: [], escalationLevel: 0 })).toEqual([]));
  it('every due step not yet recorded, oldest first (a worker that was down catches up in order)', () =>
    expect(
      dueSteps(steps, '2026-03-28T00:00:00.000Z', { remindedOffsets: ['P3D'], escalationLevel: 0 }).map(stepKey),
    ).toEqual(['reminder-P1D', 'reminder-PT0S', 'escalation-1', 'escalation-2']));
  it('an escalation level reached (by hand too) is done', () =>
    expect(
      dueSteps(steps, '2026-03-28T00:00:00.000Z', { remindedOffsets: ['P3D', 'P1D', 'PT0S'], escalationLevel: 2 }),
    ).toEqual([]));
});
