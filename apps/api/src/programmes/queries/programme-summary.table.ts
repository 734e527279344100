import type { XlsxColumn } from '../../http/xlsx';
import type { ProgrammeDetail } from './programme.queries';

type Lang = 'zh' | 'en';

const HEADERS: Record<string, Record<Lang, string>> = {
  breakdown: { zh: '维度', en: 'Breakdown' },
  name: { zh: '名称', en: 'Name' },
  total: { zh: '任务数', en: 'Tasks' },
  lead: { zh: '牵头任务', en: 'Leads' },
  overdue: { zh: '逾期', en: 'Overdue' },
  closed: { zh: '已办结', en: 'Closed' },
  closedRate: { zh: '办结率', en: 'Closed rate' },
  onTimeRate: { zh: '按期办结率', en: 'On-time rate' },
};

const BREAKDOWNS: Record<'all' | 'phase' | 'unit', Record<Lang, string>> = {
  all: { zh: '合计', en: 'Total' },
  phase: { zh: '阶段', en: 'Phase' },
  unit: { zh: '单位', en: 'Unit' },
};

export const programmeSummaryColumns = (lang: Lang): XlsxColumn[] =>
  Object.entries(HEADERS).map(([key, header]) => ({
    key,
    header: header[lang],
    width: key === 'name' ? 40 : undefined,
  }));

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * The programme's summary as one sheet: the totals, then a row per phase (攻坚战), then a row per unit
 * (in unit-code order) — the same figures `GET /programmes/:id` answers.
 */
export function programmeSummaryRows(p: ProgrammeDetail, lang: Lang): Record<string, unknown>[] {
  const phaseNames = new Map(p.phases.map((phase) => [phase.key, phase.name]));
  const closed = p.tasks.byStatus.closed ?? 0;
  return [
    {
      breakdown: BREAKDOWNS.all[lang],
      name: p.name,
      total: p.tasks.total,
      overdue: p.tasks.overdue,
      closed,
      closedRate: rate(closed, p.tasks.total),
      onTimeRate: p.tasks.onTimeRate,
    },
    ...p.byPhase.map((phase) => ({
      breakdown: BREAKDOWNS.phase[lang],
      name: phase.phase === null ? '—' : (phaseNames.get(phase.phase) ?? phase.phase),
      total: phase.total,
      overdue: phase.overdue,
      closed: phase.closed,
      closedRate: rate(phase.closed, phase.total),
    })),
    ...p.byUnit.map((unit) => ({
      breakdown: BREAKDOWNS.unit[lang],
      name: unit.unitName ?? unit.unitId,
      total: unit.total,
      lead: unit.lead,
      overdue: unit.overdue,
      closed: unit.closed,
      closedRate: rate(unit.closed, unit.total),
    })),
  ];
}
