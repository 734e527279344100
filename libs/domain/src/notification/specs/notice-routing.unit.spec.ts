import {
  DEFAULT_NOTIFICATION_POLICY,
  notificationsFor,
  NOTIFYING_EVENT_TYPES,
  UnitDirectory,
} from '../notification-routing';

const A = 'unit-a';
const B = 'unit-b';
const directory: UnitDirectory = { parentOf: () => 'parent-unit', idOfCode: () => 'office-unit' };
const published = {
  type: 'NoticePublished',
  data: { noticeId: 'n1', kind: 'criticism', title: '关于推诿扯皮问题的通报', unitIds: [A, B], issueIds: ['i1'] },
};

describe('notification routing: a published notice (通报) goes to the units it names', () => {
  it('one notification per named unit, no parent and no office', () =>
    expect(
      notificationsFor(published, DEFAULT_NOTIFICATION_POLICY, directory).map((n) => [n.role, n.unitId, n.kind]),
    ).toEqual([
      ['named', A, 'notice'],
      ['named', B, 'notice'],
    ]));
  it('says what kind of notice it is and its title; the notice stands where an issue would', () =>
    expect(notificationsFor(published, DEFAULT_NOTIFICATION_POLICY, directory)[0]).toMatchObject({
      issueId: 'n1',
      proposal: null,
      body: '通报批评：关于推诿扯皮问题的通报',
    }));
  it('a draft tells no one: only the publication notifies', () => {
    expect(NOTIFYING_EVENT_TYPES).toContain('NoticePublished');
    expect(NOTIFYING_EVENT_TYPES).not.toContain('NoticeCreated');
  });
});
