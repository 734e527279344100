import { AlreadyExists, InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { RecordInspection } from '../inspection.commands';
import { inspectionDecider } from '../inspection.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(inspectionDecider);

describe('record an inspection (明察暗访/专项督察): kind, day, team, units checked', () => {
  const record = (data: Partial<RecordInspection['data']> = {}) =>
    f.command('RecordInspection', { ...f.visit, ...data }, f.AT);

  it('records the undercover visit to three units', () => spec.given([]).when(record()).then([f.recorded]));

  it('has no findings yet', () =>
    spec
      .given([])
      .when(record())
      .thenState((s) => expect(s).toMatchObject({ status: 'recorded', findings: [], recordedBy: f.registrar.id })));

  it('may belong to a programme (a 专项督察 of 效能风暴)', () =>
    spec
      .given([])
      .when(record({ kind: 'special', programmeId: f.PROGRAMME }))
      .thenState((s) => expect(s).toMatchObject({ kind: 'special', programmeId: f.PROGRAMME })));

  it('a unit or team member named twice counts once', () =>
    spec
      .given([])
      .when(record({ unitIds: [f.UNIT_A, f.UNIT_A, f.UNIT_B], team: ['王五', '王五'] }))
      .thenState((s) => expect(s).toMatchObject({ unitIds: [f.UNIT_A, f.UNIT_B], team: ['王五'] })));

  it.each([
    ['kind', { kind: 'secret' as never }, /open, undercover, special/],
    ['date', { date: '2026-5-12' }, /YYYY-MM-DD/],
    ['team', { team: [] }, /at least one member/],
    ['team[1]', { team: ['王五', ' '] }, /required/],
    ['unitIds', { unitIds: [] }, /at least one unit/],
    ['unitIds[0]', { unitIds: [''] }, /required/],
    ['programmeId', { programmeId: '' }, /required/],
  ])('refuses a bad %s, naming it', (field, data, message) =>
    spec.given([]).when(record(data)).thenThrows(InvalidCommand, message, { field }),
  );

  it('refuses an inspection that exists already (AlreadyExists)', () =>
    spec
      .given([f.recorded])
      .when(record())
      .thenThrows(AlreadyExists, /already exists/));
});
