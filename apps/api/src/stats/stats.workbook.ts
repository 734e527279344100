import ExcelJS from 'exceljs';
import {
  ASSIGNMENT_MODE_LABELS,
  ISSUE_SOURCE_LABELS,
  ISSUE_STATUS_LABELS,
  VERDICT_LABELS,
  type Label,
} from '@duban/domain';
import type { Stats } from './stats.query';

type Lang = 'zh' | 'en';

/** The single figures, in the order of the first sheet, with their names in both languages. */
const FIGURES: [keyof Stats, Label][] = [
  ['total', { zh: '问题总数', en: 'Issues' }],
  ['assigned', { zh: '交办', en: 'Assigned' }],
  ['resultReported', { zh: '上报整改结果', en: 'Results reported' }],
  ['closed', { zh: '销号', en: 'Closed' }],
  ['resolved', { zh: '解决问题', en: 'Resolved' }],
  ['resolvedOnSpot', { zh: '立行立改', en: 'Resolved on the spot' }],
  ['withdrawn', { zh: '撤销', en: 'Withdrawn' }],
  ['reopened', { zh: '重新整改', en: 'Reopened' }],
  ['overdue', { zh: '逾期', en: 'Overdue' }],
  ['onTimeRate', { zh: '按期办结率', en: 'On-time rate' }],
  ['satisfactionRate', { zh: '满意率', en: 'Satisfaction rate' }],
  ['averageDaysToClose', { zh: '平均办结天数', en: 'Average days to close' }],
  ['redListed', { zh: '红榜', en: 'Red list' }],
  ['blackListed', { zh: '黑榜', en: 'Black list' }],
  ['missedProgressReports', { zh: '未按期报送进度', en: 'Missed progress reports' }],
  ['inspections', { zh: '明察暗访', en: 'Inspections' }],
  ['noticesIssued', { zh: '通报', en: 'Notices issued' }],
  ['unitsNotified', { zh: '通报责任单位', en: 'Units notified' }],
  ['peopleDealtWith', { zh: '处理人数', en: 'People dealt with' }],
];

/** One sheet per breakdown: its name, the key column's header, and how a key reads (coded keys in the language). */
const BREAKDOWNS: { key: keyof Stats; name: Label; of: Label; labels?: Record<string, Label> }[] = [
  {
    key: 'byStatus',
    name: { zh: '按状态', en: 'By status' },
    of: { zh: '状态', en: 'Status' },
    labels: ISSUE_STATUS_LABELS,
  },
  {
    key: 'bySource',
    name: { zh: '按来源', en: 'By source' },
    of: { zh: '来源', en: 'Source' },
    labels: ISSUE_SOURCE_LABELS,
  },
  { key: 'byCategory', name: { zh: '按类别', en: 'By category' }, of: { zh: '类别', en: 'Category' } },
  {
    key: 'byMode',
    name: { zh: '按交办方式', en: 'By mode' },
    of: { zh: '交办方式', en: 'Mode' },
    labels: ASSIGNMENT_MODE_LABELS,
  },
  {
    key: 'byPartnerAgency',
    name: { zh: '联合交办', en: 'By partner agency' },
    of: { zh: '联合单位', en: 'Partner agency' },
  },
  { key: 'byProgramme', name: { zh: '按专项行动', en: 'By programme' }, of: { zh: '专项行动', en: 'Programme' } },
  { key: 'byUnit', name: { zh: '按牵头单位', en: 'By lead unit' }, of: { zh: '牵头单位', en: 'Lead unit' } },
  { key: 'byMonth', name: { zh: '按月份', en: 'By month' }, of: { zh: '月份', en: 'Month' } },
  { key: 'escalationsByLevel', name: { zh: '督办升级', en: 'Escalations' }, of: { zh: '级别', en: 'Level' } },
  {
    key: 'satisfaction',
    name: { zh: '整改评议', en: 'Assessments' },
    of: { zh: '评议结果', en: 'Verdict' },
    labels: VERDICT_LABELS,
  },
  {
    key: 'reporterSatisfaction',
    name: { zh: '回访', en: 'Reporter feedback' },
    of: { zh: '回访结果', en: 'Verdict' },
    labels: VERDICT_LABELS,
  },
];

/**
 * The same figures as `GET /stats` as a workbook: the single figures on the first sheet, then one sheet per
 * breakdown; unit and programme ids are given with their names when the directory knows them.
 */
export async function statsWorkbook(
  stats: Stats,
  lang: Lang,
  names: (id: string) => string | undefined,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = (name: string, headers: string[], rows: (string | number | null)[][]) => {
    const ws = workbook.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = headers.map((_, i) => ({ width: i === 0 ? 32 : 14 }));
    ws.addRow(headers).font = { bold: true };
    for (const row of rows) ws.addRow(row);
  };
  const value = lang === 'zh' ? '数值' : 'Value';
  sheet(
    lang === 'zh' ? '统计' : 'Figures',
    [lang === 'zh' ? '指标' : 'Figure', value],
    [
      [lang === 'zh' ? '统计口径' : 'Basis', stats.basis],
      ...FIGURES.map(([key, label]) => [label[lang], stats[key] as number | null]),
    ],
  );
  for (const b of BREAKDOWNS) {
    const counts = stats[b.key] as Record<string, number>;
    const keyOf = (k: string) => b.labels?.[k]?.[lang] ?? names(k) ?? k;
    const withId = b.key === 'byUnit' || b.key === 'byProgramme';
    sheet(
      b.name[lang],
      withId ? [b.of[lang], 'id', value] : [b.of[lang], value],
      Object.entries(counts).map(([k, n]) => (withId ? [keyOf(k), k, n] : [keyOf(k), n])),
    );
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
