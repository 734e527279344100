import { fold } from '../../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { InspectionCommand, RecordInspectionFinding } from '../inspection.commands';
import type { InspectionEvent } from '../inspection.events';
import { inspectionDecider, recordInspectionFinding } from '../inspection.decider';
import { INSPECTION_LIMITS } from '../inspection.vocabulary';
import * as f from './fixtures';

const spec = DeciderSpecification.for(inspectionDecider);

describe('record a finding of an inspection: at a unit it checked, registered as an issue', () => {
  const find = (data: Partial<RecordInspectionFinding['data']> = {}) =>
    f.command('RecordInspectionFinding', { ...f.finding, ...data });

  it('records the finding with the source of its issue (暗访 → undercover_visit)', () =>
    spec.given([f.recorded]).when(find()).then([f.found]));

  it('an open or special inspection finds with source inspection', () =>
    spec
      .given([{ ...f.recorded, data: { ...f.recorded.data, kind: 'open' } }])
      .when(find())
      .then([{ ...f.found, data: { ...f.found.data, source: 'inspection' } }]));

  it('the inspection lists its findings, in order', () =>
    spec
      .given([f.recorded, f.found])
      .when(find({ issueId: '22222222-2222-4222-8222-222222222222', unitId: f.UNIT_C, title: '办事指南未公开' }))
      .thenState((s) =>
        expect(s.findings.map((x) => [x.unitId, x.title])).toEqual([
          [f.UNIT_A, f.finding.title],
          [f.UNIT_C, '办事指南未公开'],
        ]),
      ));

  it('refuses a unit the inspection did not check, naming unitId and the units it checked', () =>
    spec
      .given([f.recorded])
      .when(find({ unitId: '99999999-9999-4999-8999-999999999999' }))
      .thenThrows(InvalidCommand, /was not checked by this inspection.*record a new inspection/, { field: 'unitId' }));

  it('refuses the same issue twice (AlreadyExists)', () =>
    spec
      .given([f.recorded, f.found])
      .when(find())
      .thenThrows(AlreadyExists, /already a finding/));

  it.each([
    ['title', { title: '' }],
    ['issueId', { issueId: ' ' }],
  ])('refuses a bad %s, naming it', (field, data) =>
    spec
      .given([f.recorded])
      .when(find(data))
      .thenThrows(InvalidCommand, /required/, { field }),
  );

  it('an inspection that does not exist is NotFound', () =>
    spec
      .given([])
      .when(find())
      .thenThrows(NotFound, /does not exist/));

  it(`holds at most ${INSPECTION_LIMITS.findings} findings; then a new inspection is needed (409)`, () => {
    const many: InspectionEvent[] = Array.from({ length: INSPECTION_LIMITS.findings }, (_, i) => ({
      ...f.found,
      data: { ...f.found.data, issueId: `issue-${i}` },
    }));
    spec
      .given([f.recorded, ...many])
      .when(find({ issueId: 'one-more' }))
      .thenThrows(IllegalTransition, /record a new inspection/, {
        state: 'recorded',
        command: 'RecordInspectionFinding',
      });
  });

  it('decideInspection hands the command to recordInspectionFinding unchanged', () => {
    const state = fold(inspectionDecider, [f.recorded]);
    expect(inspectionDecider.decide(find(), state)).toEqual(recordInspectionFinding(find(), state));
  });

  it('refuses an unknown command type, naming the field', () =>
    spec
      .given([f.recorded])
      .when({ ...find(), type: 'CancelInspection' } as unknown as InspectionCommand)
      .thenThrows(InvalidCommand, /unknown inspection command CancelInspection/, { field: 'type' }));
});
