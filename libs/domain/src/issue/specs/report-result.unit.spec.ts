import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';
import type { AttachmentRef } from '../../attachment/attachment-ref';
import { evidenceFile } from '../../testing/evidence-file';

const spec = DeciderSpecification.for(issueDecider);

describe('report the result (上报整改结果): assigned (立行立改) | in_progress | reopened → result_reported', () => {
  const report = (hours = 6, evidence?: AttachmentRef[], summary = '已整改到位') =>
    f.command('ReportResult', { summary, ...(evidence ? { evidence } : {}) }, hours);

  describe('allowed', () => {
    it('while in progress, on time', () => spec.given(f.IN.in_progress).when(report()).then([f.resultReported]));
    it('straight from assigned, with no plan (rectify at once, 立行立改)', () =>
      spec
        .given(f.IN.assigned)
        .when(report(2, [evidenceFile('after.jpg')]))
        .thenState((s) =>
          expect(s).toMatchObject({
            status: 'result_reported',
            plan: null,
            results: [
              { summary: '已整改到位', evidence: [evidenceFile('after.jpg')], reportedAt: f.at(2), onTime: true },
            ],
          }),
        ));
    it('straight from reopened: a second result against the new deadline', () =>
      spec
        .given(f.IN.reopened)
        .when(report(8, [], '二次整改完成'))
        .then([
          {
            type: 'ResultReported',
            data: {
              ...f.base(8, f.officer.id),
              summary: '二次整改完成',
              evidence: [],
              leadUnitId: f.UNIT,
              deadline: f.REOPENED_DEADLINE,
              deadlineVersion: 2,
              onTime: true,
            },
          },
        ]));
    it('from reopened the earlier result is kept', () =>
      spec
        .given(f.IN.reopened)
        .when(report(8))
        .thenState((s) => expect(s.results).toHaveLength(2)));
    it('after the deadline: late (onTime false)', () =>
      spec
        .given(f.IN.in_progress)
        .when(report(24 * 11))
        .thenState((s) => expect(s.results[0]).toMatchObject({ onTime: false, deadline: f.DEADLINE })));
    it('exactly at the deadline: on time', () =>
      spec
        .given(f.IN.in_progress)
        .when(report(24 * 10))
        .thenState((s) => expect(s.results[0].onTime).toBe(true)));
    it('against the extended deadline', () =>
      spec
        .given([...f.IN.in_progress, f.extensionRequested, f.extensionApproved])
        .when(report(24 * 15))
        .thenState((s) => expect(s.results[0]).toMatchObject({ onTime: true, deadline: f.EXTENDED_DEADLINE })));
    it('a pending extension request lapses', () =>
      spec
        .given([...f.IN.in_progress, f.extensionRequested])
        .when(report())
        .then([f.resultReported, f.lapsed(6, 'result_reported')]));
  });

  describe('refused', () => {
    it.each(['registered', 'triaged'] as const)('before assignment: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(report())
        .thenThrows(
          IllegalTransition,
          new RegExp(`^cannot report a result on an issue that is ${status}; assign it first$`),
          { state: status, command: 'ReportResult' },
        ),
    );
    it('a second result before the first is assessed', () =>
      spec
        .given(f.IN.result_reported)
        .when(report(7))
        .thenThrows(IllegalTransition, /a result was already reported and awaits assessment/));
    it('once accepted', () =>
      spec
        .given(f.IN.accepted)
        .when(report(8))
        .thenThrows(IllegalTransition, /its result was accepted; it awaits closing/));
    it.each(['closed', 'withdrawn'] as const)('when the issue is %s', (status) =>
      spec.given(f.IN[status]).when(report(9)).thenThrows(IllegalTransition, f.refusal('report a result on', status)),
    );
    it('covers every status but assigned, in_progress and reopened', () =>
      expect(f.statusesExcept('assigned', 'in_progress', 'reopened')).toEqual([
        'registered',
        'triaged',
        'result_reported',
        'accepted',
        'closed',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(report())
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('a blank summary', () =>
      spec
        .given(f.IN.in_progress)
        .when(report(6, undefined, ''))
        .thenThrows(InvalidCommand, /^summary/, { field: 'summary' }));
    it('an evidence reference that is not a resolved file (a bare string, a forged hash)', () => {
      const forged = { ...evidenceFile('after.jpg'), sha256: 'f'.repeat(64) };
      spec
        .given(f.IN.in_progress)
        .when(report(6, ['photos/after.jpg' as unknown as AttachmentRef]))
        .thenThrows(InvalidCommand, /^evidence\[0\]/);
      spec
        .given(f.IN.in_progress)
        .when(report(6, [evidenceFile('a.jpg'), forged]))
        .thenThrows(InvalidCommand, /^evidence\[1\]/);
    });
  });
});
