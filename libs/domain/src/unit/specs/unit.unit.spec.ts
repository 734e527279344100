import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { unitDecider } from '../unit.decider';
import type { UnitCommand } from '../unit.commands';
import type { UnitEvent } from '../unit.events';

const spec = DeciderSpecification.for(unitDecider);
const U = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const P = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const AT = '2026-03-01T00:00:00.000Z';
const meta = { at: AT, actor: { id: 'admin-1', role: 'admin' } };
const cmd = <T extends UnitCommand['type']>(type: T, data: Omit<Extract<UnitCommand, { type: T }>['data'], 'unitId'>) =>
  ({ type, data: { unitId: U, ...data }, meta }) as unknown as Extract<UnitCommand, { type: T }>;
const base = { unitId: U, at: AT, by: 'admin-1' };
const created: UnitEvent = { type: 'UnitCreated', data: { ...base, code: 'ZJJ', name: '住建局', parentId: P, head: { name: '赵六' }, contacts: { email: 'a@b.cn' } } };
const deactivated: UnitEvent = { type: 'UnitDeactivated', data: { ...base, reason: '撤并' } };

describe('unit directory (单位): create, rename, move, head, contacts, deactivate', () => {
  it('creates a unit', () =>
    spec.given([]).when(cmd('CreateUnit', { code: 'ZJJ', name: '住建局', parentId: P, head: { name: '赵六' }, contacts: { email: 'a@b.cn' } })).then([created]));
  it('refuses creating it twice', () => spec.given([created]).when(cmd('CreateUnit', { code: 'ZJJ', name: 'x' })).thenThrows(AlreadyExists, /already exists/));
  it('refuses a unit as its own parent', () => spec.given([]).when(cmd('CreateUnit', { code: 'X', name: 'x', parentId: U })).thenThrows(InvalidCommand, /own parent/));
  it('renames, keeping the previous name', () =>
    spec.given([created]).when(cmd('RenameUnit', { name: '住房和城乡建设局' })).then([{ type: 'UnitRenamed', data: { ...base, name: '住房和城乡建设局', previousName: '住建局' } }]));
  it('renaming to the same name records nothing', () => spec.given([created]).when(cmd('RenameUnit', { name: '住建局' })).thenNothingHappens());
  it('moves under another parent, or to the top', () =>
    spec.given([created]).when(cmd('MoveUnit', {})).then([{ type: 'UnitMoved', data: { ...base, parentId: null, previousParentId: P } }]));
  it('refuses moving under itself', () => spec.given([created]).when(cmd('MoveUnit', { parentId: U })).thenThrows(InvalidCommand, /own parent/));
  it('sets the head and the contacts', () => {
    spec.given([created]).when(cmd('SetUnitHead', { name: '钱七', title: '局长' })).thenState((s) => expect(s.head).toEqual({ name: '钱七', title: '局长' }));
    spec.given([created]).when(cmd('SetUnitContacts', { webhookUrl: 'https://x.cn/h' })).thenState((s) => expect(s.contacts).toEqual({ webhookUrl: 'https://x.cn/h' }));
  });
  it('deactivates', () => spec.given([created]).when(cmd('DeactivateUnit', { reason: '撤并' })).then([deactivated]));
  it.each([
    ['RenameUnit', { name: 'y' }],
    ['MoveUnit', {}],
    ['SetUnitHead', { name: 'y' }],
    ['SetUnitContacts', {}],
    ['DeactivateUnit', { reason: 'again' }],
  ] as const)('a deactivated unit refuses %s', (type, data) =>
    spec.given([created, deactivated]).when(cmd(type, data as never)).thenThrows(IllegalTransition, /deactivated/));
  it('changes to a unit that does not exist are NotFound', () => spec.given([]).when(cmd('RenameUnit', { name: 'y' })).thenThrows(NotFound, /does not exist/));
});
