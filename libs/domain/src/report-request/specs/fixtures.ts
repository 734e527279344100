import type { ReportRequestCommand, ReportRequestCommandType } from '../report-request.commands';
import type { ReportRequestCreated, UnitReportSubmitted } from '../report-request.events';

export const REQUEST = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
export const UNIT_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const UNIT_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
export const UNIT_C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
export const PROGRAMME = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
/** asked on 1 December; due by the end of 10 December in Asia/Shanghai */
export const AT = '2026-12-01T02:00:00.000Z';
export const DUE_AT = '2026-12-10T15:59:59.999Z';
export const BEFORE_DUE = '2026-12-09T02:00:00.000Z';
export const AFTER_DUE = '2026-12-11T01:00:00.000Z';
export const registrar = { id: 'registrar-1', role: 'registrar' };
export const officerA = { id: 'officer-a', role: 'unit_officer', unitId: UNIT_A };
export const worker = { id: 'system:worker', role: 'system' };

type DataOf<T extends ReportRequestCommandType> = Omit<
  Extract<ReportRequestCommand, { type: T }>['data'],
  'reportRequestId'
>;

export const command = <T extends ReportRequestCommandType>(
  type: T,
  data: DataOf<T>,
  at = BEFORE_DUE,
  actor: { id: string; role: string } = registrar,
) =>
  ({ type, data: { reportRequestId: REQUEST, ...data }, meta: { at, actor } }) as unknown as Extract<
    ReportRequestCommand,
    { type: T }
  >;

export const base = (at = BEFORE_DUE, by = registrar.id) => ({ reportRequestId: REQUEST, at, by });

/** The story: 效能风暴's special report (专项报告), asked of three units, due 12月10日. */
export const request = {
  title: '效能风暴攻坚战专项报告',
  kind: 'special' as const,
  unitIds: [UNIT_A, UNIT_B, UNIT_C],
  dueDate: '2026-12-10',
  dueAt: DUE_AT,
  programmeId: PROGRAMME,
};

export const created: ReportRequestCreated = {
  type: 'ReportRequestCreated',
  data: { ...base(AT), ...request },
};

export const reportedA: UnitReportSubmitted = {
  type: 'UnitReportSubmitted',
  data: {
    ...base(BEFORE_DUE, officerA.id),
    unitId: UNIT_A,
    text: '攻坚任务已完成九成',
    attachments: [],
    dueAt: DUE_AT,
    late: false,
  },
};
