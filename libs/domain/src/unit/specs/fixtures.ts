import type { UnitCommand, UnitCommandType } from '../unit.commands';
import type { UnitCreated, UnitDeactivated } from '../unit.events';

export const UNIT = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const PARENT = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
export const OTHER_PARENT = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
export const AT = '2026-03-01T00:00:00.000Z';
export const LATER = '2026-03-02T00:00:00.000Z';
export const admin = { id: 'admin-1', role: 'admin' };

type DataOf<T extends UnitCommandType> = Omit<Extract<UnitCommand, { type: T }>['data'], 'unitId'>;

/** A command on UNIT, a day after its creation unless said otherwise. */
export const command = <T extends UnitCommandType>(type: T, data: DataOf<T>, at = LATER) =>
  ({ type, data: { unitId: UNIT, ...data }, meta: { at, actor: admin } }) as unknown as Extract<
    UnitCommand,
    { type: T }
  >;

export const base = (at = LATER) => ({ unitId: UNIT, at, by: admin.id });

export const created: UnitCreated = {
  type: 'UnitCreated',
  data: {
    ...base(AT),
    code: 'ZJJ',
    name: '住建局',
    parentId: PARENT,
    head: { name: '赵六', title: '局长' },
    contacts: { email: 'zjj@example.gov.cn' },
  },
};
export const deactivated: UnitDeactivated = { type: 'UnitDeactivated', data: { ...base(), reason: '机构改革撤并' } };
