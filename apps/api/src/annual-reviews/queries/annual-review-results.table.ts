import { ANNUAL_REVIEW_METRIC_NAMES } from '@duban/domain';
import type { XlsxColumn } from '../../http/xlsx';
import type { AnnualReviewResults } from './annual-review-results.query';

type Item = AnnualReviewResults['items'][number];

/**
 * The results table for CSV and XLSX alike: rank, unit, score, each item's value and points, the bonus. `value`
 * is the cell (numbers typed, for XLSX); `text` how CSV writes it (figures to 4 places).
 */
export function annualReviewColumns(
  r: AnnualReviewResults,
  lang: 'zh' | 'en',
): (XlsxColumn & { value(i: Item): string | number | null; text?(v: unknown): string })[] {
  const zh = lang === 'zh';
  const figure = (n: unknown) => (typeof n === 'number' ? String(+n.toFixed(4)) : '');
  return [
    { key: 'rank', header: zh ? '排名' : 'rank', width: 8, value: (i) => i.rank },
    { key: 'code', header: zh ? '单位代码' : 'unit code', value: (i) => i.code },
    { key: 'name', header: zh ? '单位名称' : 'unit', width: 24, value: (i) => i.name },
    { key: 'unitId', header: zh ? '单位ID' : 'unit id', width: 38, value: (i) => i.unitId },
    { key: 'score', header: zh ? '综合得分' : 'score', width: 12, value: (i) => i.score, text: figure },
    ...r.definition.items.flatMap((item) => {
      const metric = ANNUAL_REVIEW_METRIC_NAMES[item.metric][lang];
      return [
        {
          key: `value:${item.key}`,
          header: zh ? `${item.name}（${metric}）` : `${item.key} (${metric})`,
          value: (i: Item) => i.byItem[item.key]?.value ?? null,
          text: figure,
        },
        {
          key: `points:${item.key}`,
          header: zh ? `${item.name}得分（权重${item.weight}）` : `${item.key} points (weight ${item.weight})`,
          value: (i: Item) => i.byItem[item.key]?.points ?? null,
          text: figure,
        },
      ];
    }),
    { key: 'bonus', header: zh ? '加分' : 'bonus', value: (i) => i.bonus, text: figure },
    {
      key: 'bonuses',
      header: zh ? '加分项' : 'bonuses applied',
      width: 24,
      value: (i) =>
        i.bonuses.map((key) => (zh ? (r.definition.bonuses.find((b) => b.key === key)?.name ?? key) : key)).join('; '),
    },
  ];
}
