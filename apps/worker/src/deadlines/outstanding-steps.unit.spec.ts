import type { DeadlineRow } from '../read-model/deadlines.projection';
import { outstandingSteps, outstandingStepsDueIn } from './deadline-scheduler';

const DAY = 86_400_000;
const policy = {
  reminders: [
    { iso: 'P3D', ms: 3 * DAY },
    { iso: 'P1D', ms: DAY },
    { iso: 'PT30S', ms: 30_000 },
  ],
  escalations: [
    { iso: 'P1D', ms: DAY },
    { iso: 'P2D', ms: 2 * DAY },
    { iso: 'P3D', ms: 3 * DAY },
    { iso: 'P4D', ms: 4 * DAY },
  ],
};

const deadline = Date.parse('2026-03-31T15:59:59.999Z');
const row = (over: Partial<DeadlineRow>): DeadlineRow => ({
  issue_id: 'issue-1',
  status: 'assigned',
  lead_unit_id: 'unit-1',
  deadline: new Date(deadline).toISOString(),
  deadline_version: 1,
  deadline_set_at: new Date(deadline - 10 * DAY).toISOString(),
  escalation_level: 0,
  reminded: '[]',
  open: 1,
  scheduled_version: 0,
  dirty: 0,
  progress_month: null,
  ...over,
});

/** The steps' due instants in a window, as the steps themselves say. */
const fromSteps = (r: DeadlineRow, from: number, to: number) =>
  outstandingSteps(policy, r)
    .map((step) => Date.parse(step.dueAt))
    .filter((at) => at >= from && at < to)
    .sort((a, b) => a - b);

describe('outstandingStepsDueIn', () => {
  const rows = {
    'nothing recorded': row({}),
    'two reminders recorded': row({ reminded: '["P3D","P1D"]' }),
    'escalated twice': row({ reminded: '["P3D","P1D","PT30S"]', escalation_level: 2 }),
    'set two days before the deadline (the P3D reminder is no step)': row({
      deadline_set_at: new Date(deadline - 2 * DAY).toISOString(),
    }),
    'set 10 s before the deadline (no reminder at all)': row({
      deadline_set_at: new Date(deadline - 10_000).toISOString(),
    }),
  };
  const windows: [string, number, number][] = [
    ['the whole ladder', deadline - 10 * DAY, deadline + 10 * DAY],
    ["the PT30S reminder's second", deadline - 30_000, deadline - 29_000],
    ['the second before it', deadline - 31_000, deadline - 30_000],
    ["the first escalation's millisecond", deadline + DAY, deadline + DAY + 1],
    ['the millisecond after it', deadline + DAY + 1, deadline + DAY + 2],
    ['the last two escalations', deadline + 3 * DAY, deadline + 5 * DAY],
  ];
  for (const [story, r] of Object.entries(rows))
    it.each(windows)(`${story}: answers what outstandingSteps answers in %s`, (_, from, to) => {
      expect([...outstandingStepsDueIn(policy, r, from, to)].sort((a, b) => a - b)).toEqual(fromSteps(r, from, to));
    });
});
