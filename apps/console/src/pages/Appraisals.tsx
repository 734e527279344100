import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { all, ApiProblem, get, type IssueView, type Unit } from '../api';
import { Chart, type ChartOption } from '../chart';
import { useI18n } from '../i18n';
import { ProblemBox } from './ProblemBox';

interface Results {
  campaignId: string;
  name: string;
  published: boolean;
  items: { rank: number; unitId: string; score: number; bottom: boolean }[];
  exempt: string[];
}

const KEY = 'duban.console.campaigns';

/**
 * 民主评议 results as a ranked bar chart: bottom-N in red, exempt units (免评) marked. Campaigns have no listing
 * in the API: they are found from the rectification issues a publication opened, and from ids typed here.
 */
export function Appraisals() {
  const t = useI18n();
  const [known, setKnown] = useState<string[]>(() => JSON.parse(localStorage.getItem(KEY) ?? '[]') as string[]);
  const [typed, setTyped] = useState('');
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [results, setResults] = useState<Results | null>(null);
  const [units, setUnits] = useState<Map<string, Unit>>(new Map());
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  useEffect(() => {
    void all<Unit>('/units', 5000)
      .then((list) => setUnits(new Map(list.map((u) => [u.id, u]))))
      .catch(() => undefined);
    void all<IssueView>('/issues?source=public_appraisal', 1000)
      .then((issues) => {
        const found = issues.map((i) => i.origin?.campaignId).filter((c): c is string => typeof c === 'string');
        setKnown((prev) => {
          const merged = [...new Set([...found, ...prev])];
          setCampaignId((c) => c ?? merged[0] ?? null);
          return merged;
        });
      })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!campaignId) return;
    setProblem(null);
    setResults(null);
    void get<Results>(`/appraisals/${encodeURIComponent(campaignId)}/results`)
      .then(setResults)
      .catch((error: unknown) => error instanceof ApiProblem && setProblem(error));
  }, [campaignId]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = typed.trim();
    if (!id) return;
    const next = [...new Set([id, ...known])].slice(0, 20);
    localStorage.setItem(KEY, JSON.stringify(next));
    setKnown(next);
    setCampaignId(id);
  };
  const option = useMemo<ChartOption | null>(() => {
    if (!results) return null;
    const name = (id: string) => units.get(id)?.name ?? id.slice(0, 8);
    const ranked = [...results.items].sort((a, b) => b.rank - a.rank);
    const exemptLabel = t.lang === 'zh' ? '（免评）' : ' (exempt)';
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: {
        type: 'category',
        data: [
          ...results.exempt.map((id) => `${name(id)}${exemptLabel}`),
          ...ranked.map((i) => `${i.rank}. ${name(i.unitId)}`),
        ],
      },
      series: [
        {
          type: 'bar',
          label: {
            show: true,
            position: 'right',
            formatter: (p: { value: number | null }) => (p.value === null ? '—' : p.value.toFixed(1)),
          },
          data: [
            ...results.exempt.map(() => ({ value: null })),
            ...ranked.map((i) => ({
              value: Math.round(i.score * 10) / 10,
              itemStyle: { color: i.bottom ? '#c0392b' : '#2e86c1' },
            })),
          ],
        },
      ],
    };
  }, [results, units, t]);
  return (
    <section>
      <h1 tabIndex={-1}>{t.t('appraisals')}</h1>
      <form onSubmit={submit} className="filters" aria-label={t.t('campaign')}>
        <label>
          {t.t('campaign')}
          <select value={campaignId ?? ''} onChange={(e) => setCampaignId(e.target.value || null)} name="campaign">
            <option value="">—</option>
            {known.map((id) => (
              <option key={id} value={id}>
                {id === results?.campaignId ? results.name : id}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.t('campaignId')}
          <input type="text" name="campaignId" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit">{t.t('show')}</button>
      </form>
      {problem && <ProblemBox problem={problem} />}
      {results && option && (
        <>
          <h2>
            {results.name} · {t.t('ranking')}
          </h2>
          <Chart
            id="appraisal"
            caption={`${results.name} · ${t.t('ranking')}`}
            option={option}
            height={Math.max(240, 28 * (results.items.length + results.exempt.length))}
          />
          <p className="legend">
            <span className="swatch bottom" aria-hidden="true" /> {t.t('bottom')}（
            {results.items.filter((i) => i.bottom).length}）{' · '}
            {t.t('exempt')}：{results.exempt.map((id) => units.get(id)?.name ?? id).join('、') || t.t('none')}
          </p>
          <table className="grid" data-testid="appraisal-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t.t('unit')}</th>
                <th scope="col">{t.t('score')}</th>
                <th scope="col">{t.t('bottom')}</th>
              </tr>
            </thead>
            <tbody>
              {[...results.items]
                .sort((a, b) => a.rank - b.rank)
                .map((i) => (
                  <tr key={i.unitId} className={i.bottom ? 'bottom' : undefined} data-bottom={String(i.bottom)}>
                    <td>{i.rank}</td>
                    <td>{units.get(i.unitId)?.name ?? i.unitId}</td>
                    <td>{i.score.toFixed(2)}</td>
                    <td>{i.bottom ? t.t('yes') : ''}</td>
                  </tr>
                ))}
              {results.exempt.map((id) => (
                <tr key={id} data-exempt="true">
                  <td>—</td>
                  <td>
                    {units.get(id)?.name ?? id} {t.lang === 'zh' ? '（免评）' : '(exempt)'}
                  </td>
                  <td>—</td>
                  <td />
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
