import { fold } from '../../decider';
import { InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { UnitCommand } from '../unit.commands';
import { moveUnit, renameUnit, unitDecider } from '../unit.decider';
import { EMAIL_PATTERN, UNIT_CODE_PATTERN } from '../unit.vocabulary';
import * as f from './fixtures';

const spec = DeciderSpecification.for(unitDecider);

/** What `decideUnit` checks before handing a command to its own function, and that it hands it on unchanged. */
describe('decideUnit: the checks every command shares, then one function per command', () => {
  it('hands a command to its own function, which decides the same events when called directly', () => {
    const state = fold(unitDecider, [f.created]);
    const rename = f.command('RenameUnit', { name: '市住建局' });
    expect(unitDecider.decide(rename, state)).toEqual(renameUnit(rename, state));
    expect(renameUnit(rename, state)).toEqual([
      { type: 'UnitRenamed', data: { ...f.base(), name: '市住建局', previousName: '住建局' } },
    ]);
  });

  it('a per-command function refuses the unit as its own parent on its own', () => {
    const state = fold(unitDecider, [f.created]);
    expect(() => moveUnit(f.command('MoveUnit', { parentId: f.UNIT }), state)).toThrow(
      /^parentId: a unit cannot be its own parent$/,
    );
  });

  it('refuses a command type it does not know, naming it', () =>
    spec
      .given([f.created])
      .when({ ...f.command('RenameUnit', { name: 'x' }), type: 'PaintUnit' } as unknown as UnitCommand)
      .thenThrows(InvalidCommand, /^type: unknown unit command PaintUnit$/, { field: 'type' }));
});

describe('the unit vocabulary', () => {
  it.each([
    ['ZJJ-01', true],
    ['a.b_c', true],
    ['has space', false],
    ['', false],
  ])('a unit code %j matches the code pattern: %s', (code, ok) => expect(UNIT_CODE_PATTERN.test(code)).toBe(ok));
  it.each([
    ['duban@zjj.example.gov.cn', true],
    ['no-at-sign.example', false],
    ['two@@example.cn', false],
  ])('%j is an e-mail address: %s', (email, ok) => expect(EMAIL_PATTERN.test(email)).toBe(ok));
});
