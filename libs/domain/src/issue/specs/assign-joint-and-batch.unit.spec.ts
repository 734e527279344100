import { DeciderSpecification } from '../../testing/decider-spec';
import { InvalidCommand } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { AssignIssue } from '../issue.commands';
import { ISSUE_LIMITS } from '../issue.vocabulary';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

const MEETING = { date: '2026-03-02', name: '第一次交办会', presidedBy: { name: '张三', title: '市委副书记' } };
const BATCH = { batchId: '77777777-7777-4777-8777-777777777777', meeting: MEETING };

describe('joint assignment (联合交办) and assignment at a meeting (交办会): recorded on the assignment', () => {
  const assign = (data: Partial<AssignIssue['data']> = {}) =>
    f.command(
      'AssignIssue',
      {
        leadUnitId: f.UNIT,
        coUnitIds: [f.CO_UNIT],
        responsiblePerson: { name: '王五' },
        deadline: f.DEADLINE,
        mode: 'counterpart',
        ...data,
      },
      1,
    );

  it('records the partner agencies once each, trimmed, on the event and the state', () =>
    spec
      .given(f.IN.registered)
      .when(assign({ mode: 'joint', partnerAgencies: ['市信访局', ' 市考核办 ', '市信访局'] }))
      .then([
        {
          ...f.assigned,
          data: { ...f.assigned.data, mode: 'joint', partnerAgencies: ['市信访局', '市考核办'] },
        },
      ]));
  it('no partner agencies records none (the event stays as before)', () =>
    spec
      .given(f.IN.registered)
      .when(assign({ partnerAgencies: [] }))
      .then([f.assigned]));
  it('the state keeps the partner agencies and the batch of the assignment in force', () =>
    spec
      .given(f.IN.registered)
      .when(assign({ partnerAgencies: ['市审计局'], batch: BATCH }))
      .thenState((s) => expect(s).toMatchObject({ partnerAgencies: ['市审计局'], assignmentBatch: BATCH })));
  it('records the batch and its meeting on the event, so the history and the 责任账 show them', () =>
    spec
      .given(f.IN.triaged)
      .when(assign({ batch: BATCH }))
      .then([{ ...f.assigned, data: { ...f.assigned.data, batch: BATCH } }]));

  describe('refused', () => {
    it('an empty partner agency name', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ partnerAgencies: ['市信访局', ' '] }))
        .thenThrows(InvalidCommand, /^partnerAgencies\[1\]/, { field: 'partnerAgencies[1]' }));
    it('more partner agencies than the contract allows', () =>
      spec
        .given(f.IN.registered)
        .when(
          assign({
            partnerAgencies: Array.from({ length: ISSUE_LIMITS.partnerAgencies + 1 }, (_, i) => `机关${i}`),
          }),
        )
        .thenThrows(InvalidCommand, /^partnerAgencies: at most 20/));
    it('a meeting date that is not a calendar day', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ batch: { ...BATCH, meeting: { ...MEETING, date: '2026-03-02T10:00:00Z' } } }))
        .thenThrows(InvalidCommand, /^meeting.date/, { field: 'meeting.date' }));
    it('a meeting presided by no one', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ batch: { ...BATCH, meeting: { ...MEETING, presidedBy: { name: '' } } } }))
        .thenThrows(InvalidCommand, /^meeting.presidedBy.name/));
  });
});
