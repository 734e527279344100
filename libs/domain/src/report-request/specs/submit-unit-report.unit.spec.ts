import { AlreadyExists, InvalidCommand, NotFound } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import { missingUnits } from '../report-request.state';
import { reportRequestDecider } from '../report-request.decider';
import type { AttachmentRef } from '../../attachment/attachment-ref';
import { evidenceFile } from '../../testing/evidence-file';

const report = evidenceFile('专项报告.pdf', 'application/pdf');
import * as f from './fixtures';

const spec = DeciderSpecification.for(reportRequestDecider);

describe('a unit submits its report: once, on time or late', () => {
  const submit = (
    at = f.BEFORE_DUE,
    data: Partial<{ unitId: string; text: string; attachments: AttachmentRef[] }> = {},
  ) => f.command('SubmitUnitReport', { unitId: f.UNIT_A, text: '攻坚任务已完成九成', ...data }, at, f.officerA);

  it('before the due instant it is on time', () => spec.given([f.created]).when(submit()).then([f.reportedA]));

  it('after the due instant it is accepted and marked late', () =>
    spec
      .given([f.created])
      .when(submit(f.AFTER_DUE))
      .then([{ ...f.reportedA, data: { ...f.reportedA.data, at: f.AFTER_DUE, late: true } }]));

  it('exactly at the due instant it is still on time', () =>
    spec
      .given([f.created])
      .when(submit(f.DUE_AT))
      .thenState((s) => expect(s.reports[0].late).toBe(false)));

  it('the unit is no longer missing', () =>
    spec
      .given([f.created])
      .when(submit())
      .thenState((s) => expect(missingUnits(s)).toEqual([f.UNIT_B, f.UNIT_C])));

  it('keeps the attachments, each once', () =>
    spec
      .given([f.created])
      .when(submit(f.BEFORE_DUE, { attachments: [report, report] }))
      .thenState((s) => expect(s.reports[0].attachments).toEqual([report])));

  it('a second report from the same unit is refused (409), saying when the first came', () =>
    spec
      .given([f.created, f.reportedA])
      .when(submit())
      .thenThrows(AlreadyExists, /already submitted its report at 2026-12-09/));

  it('a unit that was not asked is refused, naming unitId', () =>
    spec
      .given([f.created])
      .when(submit(f.BEFORE_DUE, { unitId: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd' }))
      .thenThrows(InvalidCommand, /not asked/, { field: 'unitId' }));

  it('an empty text is refused, naming text', () =>
    spec
      .given([f.created])
      .when(submit(f.BEFORE_DUE, { text: '' }))
      .thenThrows(InvalidCommand, undefined, { field: 'text' }));

  it('a request that does not exist is NotFound', () =>
    spec
      .given([])
      .when(submit())
      .thenThrows(NotFound, /does not exist/));
});
