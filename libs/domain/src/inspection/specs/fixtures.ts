import type { InspectionCommand, InspectionCommandType } from '../inspection.commands';
import type { InspectionFindingRecorded, InspectionRecorded } from '../inspection.events';

export const INSPECTION = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
export const UNIT_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const UNIT_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
export const UNIT_C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
export const ISSUE = '11111111-1111-4111-8111-111111111111';
export const PROGRAMME = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
export const AT = '2026-05-12T02:00:00.000Z';
export const LATER = '2026-05-12T08:00:00.000Z';
export const registrar = { id: 'registrar-1', role: 'registrar' };

type DataOf<T extends InspectionCommandType> = Omit<Extract<InspectionCommand, { type: T }>['data'], 'inspectionId'>;

/** A command on INSPECTION, the afternoon of the visit unless said otherwise. */
export const command = <T extends InspectionCommandType>(type: T, data: DataOf<T>, at = LATER) =>
  ({ type, data: { inspectionId: INSPECTION, ...data }, meta: { at, actor: registrar } }) as unknown as Extract<
    InspectionCommand,
    { type: T }
  >;

export const base = (at = LATER) => ({ inspectionId: INSPECTION, at, by: registrar.id });

/** The story: an undercover visit (暗访) to three service windows on 5月12日, finding a clerk on the phone at A. */
export const visit = {
  kind: 'undercover' as const,
  date: '2026-05-12',
  team: ['王五', '赵六'],
  unitIds: [UNIT_A, UNIT_B, UNIT_C],
};

export const recorded: InspectionRecorded = {
  type: 'InspectionRecorded',
  data: { ...base(AT), ...visit, programmeId: null },
};

export const finding = { issueId: ISSUE, unitId: UNIT_A, title: '窗口工作人员上班时间玩手机' };

export const found: InspectionFindingRecorded = {
  type: 'InspectionFindingRecorded',
  data: { ...base(), ...finding, source: 'undercover_visit' },
};
