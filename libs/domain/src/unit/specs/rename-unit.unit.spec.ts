import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { unitDecider } from '../unit.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(unitDecider);

describe('rename a unit', () => {
  const rename = (name: string) => f.command('RenameUnit', { name });

  it('records the new name and the previous one', () =>
    spec
      .given([f.created])
      .when(rename('住房和城乡建设局'))
      .then([{ type: 'UnitRenamed', data: { ...f.base(), name: '住房和城乡建设局', previousName: '住建局' } }]));
  it('the same name records nothing', () => spec.given([f.created]).when(rename('住建局')).thenNothingHappens());
  it('a blank name is refused', () => spec.given([f.created]).when(rename('')).thenThrows(InvalidCommand, /^name/));
  it('a deactivated unit refuses it', () =>
    spec
      .given([f.created, f.deactivated])
      .when(rename('新名称'))
      .thenThrows(IllegalTransition, /^cannot change a unit that is deactivated \(RenameUnit\)/, {
        state: 'deactivated',
        command: 'RenameUnit',
      }));
  it('a unit that does not exist is NotFound', () =>
    spec
      .given([])
      .when(rename('x'))
      .thenThrows(NotFound, /does not exist/));
});
