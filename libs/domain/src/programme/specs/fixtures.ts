import type { ProgrammeCommand, ProgrammeCommandType } from '../programme.commands';
import type { ProgrammeCreated } from '../programme.events';

export const PROGRAMME = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
export const AT = '2026-02-20T00:00:00.000Z';
export const registrar = { id: 'registrar-1', role: 'registrar' };

type DataOf<T extends ProgrammeCommandType> = Omit<Extract<ProgrammeCommand, { type: T }>['data'], 'programmeId'>;

export const command = <T extends ProgrammeCommandType>(type: T, data: DataOf<T>, at = AT) =>
  ({ type, data: { programmeId: PROGRAMME, ...data }, meta: { at, actor: registrar } }) as unknown as Extract<
    ProgrammeCommand,
    { type: T }
  >;

export const base = (at = AT) => ({ programmeId: PROGRAMME, at, by: registrar.id });

/** The story: 嘉峪关's 效能风暴 of 2026, led by a deputy secretary, in five battles (五大攻坚战) ending by 12月10日. */
export const battles = ['营商环境', '项目建设', '民生实事', '作风整治', '基层治理'].map((name, i) => ({
  key: `battle-${i + 1}`,
  name: `${name}攻坚战`,
  from: `2026-0${i + 2}-01`,
  to: '2026-12-10',
}));

export const storm = {
  name: '效能风暴行动',
  year: 2026,
  kind: 'campaign' as const,
  period: { from: '2026-01-01', to: '2026-12-31' },
  leadLeader: { name: '张三', title: '市委副书记' },
  phases: battles,
  targets: ['审批时限压缩50%'],
};

export const created: ProgrammeCreated = { type: 'ProgrammeCreated', data: { ...base(), ...storm } };
