import type { XlsxColumn } from '../../http/xlsx';
import type { AppraisalResults, ResultItem } from './appraisal-results.query';

/**
 * The results table, one column each, for CSV and XLSX alike: `value` is the cell (numbers and booleans
 * typed, for XLSX), `text` how CSV writes it (scores to 4 places, the bottom-N flag as 是/否 or yes/no).
 */
type Column = XlsxColumn & { value(i: ResultItem): string | number | boolean | null; text?(v: unknown): string };

export function resultColumns(r: AppraisalResults, lang: 'zh' | 'en'): Column[] {
  const zh = lang === 'zh';
  const score = (n: unknown) => (typeof n === 'number' ? n.toFixed(4) : '');
  const yesNo = (b: unknown) => (b ? (zh ? '是' : 'yes') : zh ? '否' : 'no');
  const people: Column[] =
    r.targetKind === 'person'
      ? [
          { key: 'targetId', header: zh ? '人员编号' : 'person id', width: 16, value: (i) => i.targetId },
          { key: 'name', header: zh ? '姓名' : 'name', width: 12, value: (i) => i.name ?? '' },
          { key: 'title', header: zh ? '职务' : 'title', width: 20, value: (i) => i.title ?? '' },
        ]
      : [];
  const systems: Column[] = r.systems.length
    ? [
        {
          key: 'system',
          header: zh ? '系统' : 'system',
          width: 16,
          value: (i) => r.systems.find((s) => s.key === i.system)?.name ?? '',
        },
        {
          key: 'systemRank',
          header: zh ? '系统内排名' : 'rank in system',
          width: 10,
          value: (i) => i.systemRank ?? null,
        },
      ]
    : [];
  const advanced: Column[] =
    r.advancedTop > 0
      ? [{ key: 'advanced', header: zh ? '先进' : 'advanced', value: (i) => i.advanced === true, text: yesNo }]
      : [];
  return [
    { key: 'rank', header: zh ? '排名' : 'rank', width: 8, value: (i) => i.rank },
    ...people,
    { key: 'code', header: zh ? '单位代码' : 'unit code', value: (i) => i.code },
    { key: 'unitId', header: zh ? '单位ID' : 'unit id', width: 38, value: (i) => i.unitId },
    ...systems,
    { key: 'score', header: zh ? '综合得分' : 'weighted score', width: 16, value: (i) => i.score, text: score },
    ...r.groups.map((g) => ({
      key: `group:${g.key}`,
      header: zh ? g.name : `group ${g.key}`,
      value: (i: ResultItem) => i.byGroup[g.key] ?? null,
      text: score,
    })),
    ...r.criteria.map((c) => ({
      key: `criterion:${c.key}`,
      header: zh ? c.name : `criterion ${c.key}`,
      value: (i: ResultItem) => i.byCriterion[c.key] ?? null,
      text: score,
    })),
    { key: 'ballots', header: zh ? '评议票数' : 'ballots', value: (i) => i.ballots },
    {
      key: 'bottom',
      header: zh ? '末位' : 'bottom N',
      value: (i) => i.bottom,
      text: yesNo,
    },
    ...advanced,
    {
      key: 'honoursDisqualified',
      header: zh ? '取消当年评优提拔资格' : 'honours disqualified',
      value: (i) => i.honoursDisqualified,
      text: yesNo,
    },
    {
      key: 'issues',
      header: zh ? '整改问题' : 'issues',
      width: 50,
      value: (i) => i.issues.map((x) => `${x.id} (${x.status})`).join('; '),
    },
  ];
}
