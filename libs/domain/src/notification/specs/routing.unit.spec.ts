import {
  DEFAULT_NOTIFICATION_POLICY,
  NotificationPolicy,
  notificationsFor,
  parseNotificationPolicy,
  UnitDirectory,
} from '../notification-routing';

const LEAD = 'lead-unit';
const CO = 'co-unit';
const PARENT = 'parent-unit';
const OFFICE = 'office-unit';
const directory: UnitDirectory = {
  parentOf: (id) => (id === LEAD ? PARENT : null),
  idOfCode: (code) => (code === 'DCB' ? OFFICE : null),
};
const policy: NotificationPolicy = { ...DEFAULT_NOTIFICATION_POLICY, officeUnitCode: 'DCB' };
const escalated = (level: number) => ({
  type: 'IssueEscalated',
  data: { issueId: 'i1', level, reason: '逾期', leadUnitId: LEAD, coUnitIds: [CO] },
});
const recipients = (event: { type: string; data: Record<string, unknown> }, p = policy) =>
  notificationsFor(event, p, directory).map((n) => [n.role, n.unitId, n.proposal]);

describe('notification routing: the escalation ladder routes upward', () => {
  it('level 1 notifies the lead unit', () => expect(recipients(escalated(1))).toEqual([['lead', LEAD, null]]));
  it('level 2 also its parent unit', () =>
    expect(recipients(escalated(2))).toEqual([
      ['lead', LEAD, null],
      ['parent', PARENT, null],
    ]));
  it('level 3 also the supervision office, with a summons proposal', () =>
    expect(recipients(escalated(3))).toEqual([
      ['lead', LEAD, 'summons'],
      ['parent', PARENT, 'summons'],
      ['office', OFFICE, 'summons'],
    ]));
  it('level 4 proposes an accountability referral', () =>
    expect(
      notificationsFor(escalated(4), policy, directory).every((n) => n.proposal === 'accountability_referral'),
    ).toBe(true));
  it('the proposal is spelled out to the office', () =>
    expect(notificationsFor(escalated(3), policy, directory).find((n) => n.role === 'office')!.body).toMatch(
      /建议约谈/,
    ));
  it("without an office unit, the office notification has no unit (the registrars' inbox)", () =>
    expect(recipients(escalated(3), DEFAULT_NOTIFICATION_POLICY)).toContainEqual(['office', null, 'summons']));
  it('a unit without a parent: no parent notification', () =>
    expect(recipients({ ...escalated(2), data: { ...escalated(2).data, leadUnitId: CO } })).toEqual([
      ['lead', CO, null],
    ]));
  it('reminders go to the lead and the co-units', () =>
    expect(
      recipients({
        type: 'ReminderSent',
        data: { issueId: 'i1', leadUnitId: LEAD, coUnitIds: [CO], deadline: 'x', offset: 'P1D' },
      }),
    ).toEqual([
      ['lead', LEAD, null],
      ['co', CO, null],
    ]));
  it('a unit reached in two roles is notified once', () =>
    expect(
      recipients({
        type: 'IssueAssigned',
        data: { issueId: 'i1', leadUnitId: LEAD, coUnitIds: [LEAD, CO], deadline: 'x' },
      }),
    ).toEqual([
      ['lead', LEAD, null],
      ['co', CO, null],
    ]));
  it('events that notify no one', () =>
    expect(recipients({ type: 'PlanSubmitted', data: { issueId: 'i1', leadUnitId: LEAD } })).toEqual([]));
  it('a configured policy changes the routes', () => {
    const custom = parseNotificationPolicy({ officeUnitCode: 'DCB', routes: { escalation_1: ['lead', 'office'] } });
    expect(recipients(escalated(1), custom)).toEqual([
      ['lead', LEAD, null],
      ['office', OFFICE, null],
    ]);
    expect(custom.routes.reminder).toEqual(['lead', 'co']);
  });
  it.each([
    [[], /JSON object/],
    [{ routes: { escalation_9: ['lead'] } }, /routes.escalation_9: unknown notification kind/],
    [{ routes: { reminder: ['mayor'] } }, /routes.reminder must be a list/],
    [{ officeUnitCode: '' }, /officeUnitCode/],
  ])('refuses a bad policy %j', (input, message) => expect(() => parseNotificationPolicy(input)).toThrow(message));
});

describe('notification routing: people are told (the office of what units report, units of the office’s orders)', () => {
  const event = (type: string, data: Record<string, unknown> = {}) => ({
    type,
    data: { issueId: 'i1', leadUnitId: LEAD, ...data },
  });
  it.each([
    ['ResultReported', { summary: '已整改' }],
    ['ExtensionRequested', { newDeadline: '2027-01-31T00:00:00Z', reason: '需协调' }],
  ])('%s goes to the supervision office', (type, data) =>
    expect(recipients(event(type, data))).toEqual([['office', OFFICE, null]]),
  );
  it('a pending accountability proposal goes to the office with what it proposes', () =>
    expect(recipients(event('AccountabilityProposed', { kind: 'summons', reason: '弄虚作假' }))).toEqual([
      ['office', OFFICE, 'summons'],
    ]));
  it.each(['TimeLimitOrdered', 'IssueReopened'])('%s goes to the lead unit', (type) =>
    expect(recipients(event(type, { deadline: '2027-01-31T00:00:00Z', reason: 'x' }))).toEqual([['lead', LEAD, null]]),
  );
});
