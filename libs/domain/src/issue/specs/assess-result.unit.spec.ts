import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { AssessResult } from '../issue.commands';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('assess the result (整改评议): result_reported → accepted (satisfied | basically satisfied) or reopened (unsatisfied + new deadline)', () => {
  const assess = (verdict: AssessResult['data']['verdict'], extra: Partial<AssessResult['data']> = {}, hours = 7) =>
    f.command('AssessResult', { verdict, ...extra }, hours);

  describe('allowed', () => {
    it('satisfied: accepted', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('satisfied'))
        .then([f.assessed('satisfied')]));
    it('basically satisfied: accepted, awaiting 销号', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('basically_satisfied', { comment: '基本满意' }))
        .thenState((s) =>
          expect(s).toMatchObject({
            status: 'accepted',
            assessments: [{ verdict: 'basically_satisfied', comment: '基本满意', at: f.at(7), by: f.assessor.id }],
          }),
        ));
    it('unsatisfied: reopened with the new deadline, version + 1', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('unsatisfied', { comment: '群众仍不满意', newDeadline: f.REOPENED_DEADLINE }))
        .then([f.assessed('unsatisfied'), f.reopened]));
    it('unsatisfied: the state is reopened and the assessment kept', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('unsatisfied', { newDeadline: f.REOPENED_DEADLINE }))
        .thenState((s) =>
          expect(s).toMatchObject({
            status: 'reopened',
            deadline: f.REOPENED_DEADLINE,
            deadlineVersion: 2,
            assessments: [{ verdict: 'unsatisfied' }],
          }),
        ));
    it('a second round: unsatisfied, then a new result, then satisfied', () =>
      spec
        .given([
          ...f.IN.reopened,
          f.changed(f.resultReported, { at: f.at(8), deadline: f.REOPENED_DEADLINE, deadlineVersion: 2 }),
        ])
        .when(assess('satisfied', {}, 9))
        .thenState((s) => expect(s.assessments.map((a) => a.verdict)).toEqual(['unsatisfied', 'satisfied'])));
  });

  describe('refused', () => {
    it.each(['assigned', 'in_progress', 'reopened'] as const)('before a result is reported: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(assess('satisfied', {}, 9))
        .thenThrows(
          IllegalTransition,
          new RegExp(`^cannot assess an issue that is ${status}; the unit has not reported a result yet`),
          { state: status },
        ),
    );
    it('a second assessment of the same result', () =>
      spec
        .given(f.IN.accepted)
        .when(assess('satisfied', {}, 9))
        .thenThrows(IllegalTransition, /already assessed and accepted; it awaits closing/));
    it.each(['registered', 'triaged', 'closed', 'withdrawn'] as const)('when the issue is %s', (status) =>
      spec
        .given(f.IN[status])
        .when(assess('satisfied', {}, 9))
        .thenThrows(IllegalTransition, f.refusal('assess', status)),
    );
    it('covers every status but result_reported', () =>
      expect(f.statusesExcept('result_reported')).toEqual([
        'registered',
        'triaged',
        'assigned',
        'in_progress',
        'accepted',
        'reopened',
        'closed',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(assess('satisfied'))
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('unsatisfied without a new deadline', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('unsatisfied'))
        .thenThrows(InvalidCommand, /^newDeadline: is required when the verdict is unsatisfied/, {
          field: 'newDeadline',
        }));
    it('unsatisfied with a new deadline that is not after the command', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('unsatisfied', { newDeadline: f.at(7) }))
        .thenThrows(InvalidCommand, /^newDeadline: must be after the time of the command/));
    it.each(['satisfied', 'basically_satisfied'] as const)('%s with a new deadline', (verdict) =>
      spec
        .given(f.IN.result_reported)
        .when(assess(verdict, { newDeadline: f.REOPENED_DEADLINE }))
        .thenThrows(InvalidCommand, /^newDeadline: is only given with an unsatisfied verdict/),
    );
    it('an unknown verdict', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('great' as never))
        .thenThrows(InvalidCommand, /^verdict: must be one of satisfied, basically_satisfied, unsatisfied/));
    it('an unknown method', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('satisfied', { method: 'guess' as never }))
        .thenThrows(InvalidCommand, /^method: must be one of visit, undercover_visit, document_review, phone_survey/));
    it('a blank panel name', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('satisfied', { panel: ['张三', ''] }))
        .thenThrows(InvalidCommand, /^panel\[1\]/));
  });

  describe('how it was assessed (评议方式, 评议组): recorded only when given', () => {
    it('the method and the panel are on the event and the state', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('satisfied', { method: 'undercover_visit', panel: ['张三', '李四'] }))
        .then([
          {
            ...f.assessed('satisfied'),
            data: { ...f.assessed('satisfied').data, method: 'undercover_visit', panel: ['张三', '李四'] },
          },
        ]));
    it('without them the event has neither key', () =>
      spec
        .given(f.IN.result_reported)
        .when(assess('basically_satisfied'))
        .thenState((s) => expect(Object.keys(s.assessments[0]).sort()).toEqual(['at', 'by', 'comment', 'verdict'])));
  });
});
