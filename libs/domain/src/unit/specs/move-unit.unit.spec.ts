import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { unitDecider } from '../unit.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(unitDecider);

/** Cycles through several units (A under B under A) are refused by the application, which reads the directory. */
describe('move a unit under another parent, or to the top', () => {
  const move = (parentId?: string) => f.command('MoveUnit', parentId === undefined ? {} : { parentId });

  it('under another parent', () =>
    spec
      .given([f.created])
      .when(move(f.OTHER_PARENT))
      .then([{ type: 'UnitMoved', data: { ...f.base(), parentId: f.OTHER_PARENT, previousParentId: f.PARENT } }]));
  it('to the top', () =>
    spec
      .given([f.created])
      .when(move())
      .then([{ type: 'UnitMoved', data: { ...f.base(), parentId: null, previousParentId: f.PARENT } }]));
  it('under the parent it already has: nothing', () =>
    spec.given([f.created]).when(move(f.PARENT)).thenNothingHappens());
  it('refuses the unit as its own parent', () =>
    spec
      .given([f.created])
      .when(move(f.UNIT))
      .thenThrows(InvalidCommand, /^parentId: a unit cannot be its own parent/, { field: 'parentId' }));
  it('a deactivated unit refuses it', () =>
    spec
      .given([f.created, f.deactivated])
      .when(move(f.OTHER_PARENT))
      .thenThrows(IllegalTransition, /deactivated/));
  it('a unit that does not exist is NotFound', () => spec.given([]).when(move(f.OTHER_PARENT)).thenThrows(NotFound));
});
