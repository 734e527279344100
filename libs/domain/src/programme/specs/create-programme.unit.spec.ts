import { fold } from '../../decider';
import { AlreadyExists, InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { CreateProgramme, ProgrammeCommand } from '../programme.commands';
import { createProgramme, programmeDecider } from '../programme.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(programmeDecider);

describe('create a programme (专项行动/攻坚战/重点工作): period, leader, phases, targets', () => {
  const create = (data: Partial<CreateProgramme['data']> = {}) => f.command('CreateProgramme', { ...f.storm, ...data });

  it('records the programme with its five battles', () => spec.given([]).when(create()).then([f.created]));

  it('is active, with its phases in order', () =>
    spec
      .given([])
      .when(create())
      .thenState((s) =>
        expect(s).toMatchObject({
          id: f.PROGRAMME,
          status: 'active',
          phases: f.battles,
          createdAt: f.AT,
          createdBy: f.registrar.id,
        }),
      ));

  it('leader, phases and targets are optional: a key work of the year names none of them', () =>
    spec
      .given([])
      .when(
        f.command('CreateProgramme', {
          name: '重点工作',
          year: 2026,
          kind: 'key_work',
          period: { from: '2026-01-01', to: '2026-12-31' },
        }),
      )
      .then([
        {
          type: 'ProgrammeCreated',
          data: {
            ...f.base(),
            name: '重点工作',
            year: 2026,
            kind: 'key_work',
            period: { from: '2026-01-01', to: '2026-12-31' },
            leadLeader: null,
            phases: [],
            targets: [],
          },
        },
      ]));

  it('a period across the new year may be filed under either year', () =>
    spec
      .given([])
      .when(create({ year: 2027, period: { from: '2026-10-01', to: '2027-06-30' }, phases: [] }))
      .thenState((s) => expect(s.year).toBe(2027)));

  it.each([
    ['name', { name: ' ' }, /name: is required/],
    ['year', { year: 1999 }, /from 2000 to 2100/],
    ['kind', { kind: 'battle' as never }, /campaign, key_work/],
    ['period.from', { period: { from: '2026-02-30', to: '2026-12-31' } }, /YYYY-MM-DD/],
    ['period.to', { period: { from: '2026-06-01', to: '2026-05-31' } }, /must not be before period.from/],
    ['year', { year: 2025 }, /does not include the year 2025/],
    ['leadLeader.title', { leadLeader: { name: '张三' } as never }, /required/],
    ['phases[1].key', { phases: [f.battles[0], f.battles[0]] }, /used by an earlier phase/],
    ['phases[0].key', { phases: [{ ...f.battles[0], key: 'battle 1' }] }, /letters, digits/],
    ['phases[0].to', { phases: [{ ...f.battles[0], from: '2026-05-01', to: '2026-04-01' }] }, /not be before/],
    ['phases[0]', { phases: [{ ...f.battles[0], to: '2027-01-10' }] }, /outside the programme's period/],
    ['phases[0].name', { phases: [{ ...f.battles[0], name: '' }] }, /required/],
    ['targets[0]', { targets: [''] }, /required/],
  ])('refuses a bad %s, naming it', (field, data, message) =>
    spec.given([]).when(create(data)).thenThrows(InvalidCommand, message, { field }),
  );

  it('refuses a programme that exists already (AlreadyExists, 409)', () =>
    spec
      .given([f.created])
      .when(create())
      .thenThrows(AlreadyExists, /already exists/));

  it('decideProgramme hands the command to createProgramme unchanged', () => {
    const state = fold(programmeDecider, []);
    expect(programmeDecider.decide(create(), state)).toEqual(createProgramme(create(), state));
  });

  it('refuses an unknown command type, naming the field', () =>
    spec
      .given([])
      .when({ ...create(), type: 'CloseProgramme' } as unknown as ProgrammeCommand)
      .thenThrows(InvalidCommand, /unknown programme command CloseProgramme/, { field: 'type' }));
});
