import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { unitDecider } from '../unit.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(unitDecider);

describe('deactivate a unit: final, it refuses every change after', () => {
  it('records it with its reason', () =>
    spec
      .given([f.created])
      .when(f.command('DeactivateUnit', { reason: '机构改革撤并' }))
      .then([f.deactivated]));
  it('the unit is deactivated', () =>
    spec
      .given([f.created])
      .when(f.command('DeactivateUnit', { reason: '撤并' }))
      .thenState((s) =>
        expect(s).toMatchObject({ status: 'deactivated', deactivatedAt: f.LATER, deactivationReason: '撤并' }),
      ));
  it('a blank reason is refused', () =>
    spec
      .given([f.created])
      .when(f.command('DeactivateUnit', { reason: '' }))
      .thenThrows(InvalidCommand, /^reason/));
  it.each([
    ['RenameUnit', { name: '新名称' }],
    ['MoveUnit', {}],
    ['SetUnitHead', { name: '钱七' }],
    ['SetUnitContacts', {}],
    ['DeactivateUnit', { reason: 'again' }],
  ] as const)('a deactivated unit refuses %s', (type, data) =>
    spec
      .given([f.created, f.deactivated])
      .when(f.command(type, data as never))
      .thenThrows(IllegalTransition, /deactivation is final, create a new unit instead/, {
        state: 'deactivated',
        command: type,
      }),
  );
  it('a unit that does not exist is NotFound', () =>
    spec
      .given([])
      .when(f.command('DeactivateUnit', { reason: 'x' }))
      .thenThrows(NotFound, /does not exist/));
});
