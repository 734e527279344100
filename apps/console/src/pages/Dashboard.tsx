import { useEffect, useMemo, useState } from 'react';
import { all, ApiProblem, get, type IssueView, type Session, type Unit } from '../api';
import { Chart, type ChartOption } from '../chart';
import { SOURCE_ORDER, STATUS_ORDER, useI18n, TZ } from '../i18n';
import { Link } from '../router';
import { ProblemBox } from './ProblemBox';

export interface Stats {
  total: number;
  byStatus: Record<string, number>;
  bySource: Record<string, number>;
  byMonth: Record<string, number>;
  assigned: number;
  resultReported: number;
  closed: number;
  overdue: number;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  satisfaction: Record<string, number>;
  escalationsByLevel: Record<string, number>;
}

interface Listed {
  issueId: string;
  title: string;
  leadUnitId: string | null;
  reason: string;
  listedAt: string;
}

interface Data {
  stats: Stats;
  units: Map<string, Unit>;
  overdue: IssueView[];
  closed: IssueView[];
  red: Listed[];
  black: Listed[];
}

const monthOf = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit' });

/** 驾驶舱: the headline figures from /stats and the charts; a unit officer's /stats and lists are their unit's. */
export function Dashboard({ session }: { session: Session }) {
  const t = useI18n();
  const [data, setData] = useState<Data | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  // a supervisor (监督员) reads one supervised unit at a time; the office may narrow the dashboard to a unit
  const supervisor =
    session.roles.every((r) => r === 'supervisor' || r === 'unit_officer') && !!session.unitIds?.length;
  const officer = session.roles.every((r) => r === 'unit_officer');
  const [unitId, setUnitId] = useState<string>(supervisor ? session.unitIds![0] : '');
  useEffect(() => {
    performance.mark('dashboard-start');
    setData(null);
    const scope = unitId ? `unitId=${encodeURIComponent(unitId)}` : '';
    void (async () => {
      try {
        const [stats, units, overdue, closed, red, black] = await Promise.all([
          get<Stats>(`/stats${scope ? `?${scope}` : ''}`),
          all<Unit>('/units', 5000),
          all<IssueView>(`/issues?overdue=true${scope ? `&${scope}` : ''}`, 2000),
          all<IssueView>(`/issues?status=closed${scope ? `&${scope}` : ''}`, 2000),
          get<{ items: Listed[] }>('/lists/red'),
          get<{ items: Listed[] }>('/lists/black'),
        ]);
        setData({
          stats,
          units: new Map(units.map((u) => [u.id, u])),
          overdue,
          closed,
          red: red.items,
          black: black.items,
        });
      } catch (error) {
        setProblem(error instanceof ApiProblem ? error : new ApiProblem({ status: 0, detail: String(error) }));
      }
    })();
  }, [unitId]);

  const options = useMemo(() => (data ? chartOptions(data, t) : null), [data, t]);

  // ready when every chart has drawn: the load figure the README quotes
  useEffect(() => {
    if (!options) return;
    let frame = 0;
    const check = () => {
      const charts = document.querySelectorAll('[data-chart]');
      if (charts.length && [...charts].every((c) => c.getAttribute('data-rendered') === 'true')) {
        if (!performance.getEntriesByName('dashboard-ready').length) performance.mark('dashboard-ready');
        document.body.setAttribute('data-dashboard-ready', String(Math.round(performance.now())));
      } else frame = requestAnimationFrame(check);
    };
    frame = requestAnimationFrame(check);
    return () => cancelAnimationFrame(frame);
  }, [options]);

  if (problem) return <ProblemBox problem={problem} />;
  if (!data || !options) return <p aria-busy="true">{t.t('loading')}</p>;
  const { stats, units } = data;
  const unitName = (id: string | null) => (id ? (units.get(id)?.name ?? id.slice(0, 8)) : '—');
  const own = officer && session.unitId;
  const choices = supervisor
    ? session.unitIds!.map((id) => units.get(id) ?? { id, code: id, name: id })
    : [...units.values()];
  const figures: [string, string, number | null, string][] = [
    ['total', t.t('total'), stats.total, String(stats.total)],
    ['assigned', t.t('assigned'), stats.assigned, String(stats.assigned)],
    ['overdue', t.t('overdue'), stats.overdue, String(stats.overdue)],
    ['closed', t.t('closed'), stats.closed, String(stats.closed)],
    ['onTimeRate', t.t('onTimeRate'), stats.onTimeRate, t.percent(stats.onTimeRate)],
    ['satisfactionRate', t.t('satisfaction'), stats.satisfactionRate, t.percent(stats.satisfactionRate)],
  ];
  return (
    <section className="dashboard">
      <h1 tabIndex={-1}>{own ? `${t.t('unitDashboard')} · ${unitName(session.unitId!)}` : t.t('dashboard')}</h1>
      {!officer && (
        <div className="filters">
          <label>
            {t.t('unit')}
            <select value={unitId} onChange={(e) => setUnitId(e.target.value)} name="unit" data-testid="dashboard-unit">
              {!supervisor && <option value="">{t.t('allUnits')}</option>}
              {choices.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <dl className="figures">
        {figures.map(([key, label, value, shown]) => (
          <div key={key} className={`figure figure-${key}`}>
            <dt>{label}</dt>
            <dd data-figure={key} data-value={value === null ? 'null' : String(value)}>
              {shown}
            </dd>
          </div>
        ))}
      </dl>
      <div className="charts">
        <Chart id="funnel" caption={t.t('funnel')} option={options.funnel} />
        <Chart id="sources" caption={t.t('bySource')} option={options.sources} />
        <Chart id="overdue-units" caption={t.t('overdueByUnit')} option={options.overdueUnits} height={420} />
        <Chart id="monthly" caption={t.t('monthly')} option={options.monthly} />
        <Chart id="escalations" caption={t.t('escalations')} option={options.escalations} />
      </div>
      <div className="lists">
        {(['red', 'black'] as const).map((list) => (
          <section key={list} className={`list list-${list}`} aria-labelledby={`list-${list}`}>
            <h2 id={`list-${list}`}>{t.t(list === 'red' ? 'redList' : 'blackList')}</h2>
            {data[list].length === 0 ? (
              <p>{t.t('none')}</p>
            ) : (
              <ol data-list={list}>
                {data[list].slice(0, 15).map((item) => (
                  <li key={`${item.issueId}-${item.listedAt}`}>
                    <Link to={`/issues/${item.issueId}`}>{item.title}</Link>
                    <span className="muted">
                      {' '}
                      · {unitName(item.leadUnitId)} · {item.reason}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        ))}
      </div>
    </section>
  );
}

function chartOptions(data: Data, t: ReturnType<typeof useI18n>): Record<string, ChartOption> {
  const { stats, units } = data;
  // the lifecycle as a funnel: every issue registered, those ever assigned, ever reported, closed (销号)
  const funnelData = [
    { name: t.label('status', 'registered'), value: stats.total },
    { name: t.label('status', 'assigned'), value: stats.assigned },
    { name: t.label('status', 'result_reported'), value: stats.resultReported },
    { name: t.label('status', 'closed'), value: stats.closed },
  ];
  const now = STATUS_ORDER.map((s) => `${t.label('status', s)}: ${stats.byStatus[s] ?? 0}`).join('<br/>');
  const sources = SOURCE_ORDER.map((s) => ({ name: t.label('source', s), value: stats.bySource[s] ?? 0 })).filter(
    (s) => s.value > 0,
  );
  const perUnit = new Map<string, number>();
  for (const issue of data.overdue)
    if (issue.leadUnitId) perUnit.set(issue.leadUnitId, (perUnit.get(issue.leadUnitId) ?? 0) + 1);
  const top = [...perUnit.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .reverse();
  const closedByMonth: Record<string, number> = {};
  for (const issue of data.closed)
    if (issue.closedAt) {
      const m = monthOf.format(new Date(issue.closedAt)).slice(0, 7);
      closedByMonth[m] = (closedByMonth[m] ?? 0) + 1;
    }
  const months = [...new Set([...Object.keys(stats.byMonth), ...Object.keys(closedByMonth)])].sort();
  const levels = ['1', '2', '3', '4'];
  const levelNames = [
    t.lang === 'zh' ? '督办' : 'Notice',
    t.lang === 'zh' ? '重点督办' : 'Key',
    t.lang === 'zh' ? '约谈' : 'Summons',
    t.lang === 'zh' ? '问责' : 'Accountability',
  ];
  const tooltip = { trigger: 'item' };
  return {
    funnel: {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number }) => `${p.name}: ${p.value}<hr/>${now}`,
      },
      series: [
        {
          type: 'funnel',
          sort: 'descending',
          left: '4%',
          width: '66%',
          minSize: '8%',
          label: { formatter: '{b}: {c}' },
          data: funnelData,
        },
      ],
    },
    sources: {
      tooltip,
      legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], data: sources, label: { formatter: '{b}\n{c}' } }],
    },
    overdueUnits: {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: top.map(([id]) => units.get(id)?.name ?? id.slice(0, 8)) },
      series: [
        {
          type: 'bar',
          data: top.map(([, n]) => n),
          itemStyle: { color: '#c0392b' },
          label: { show: true, position: 'right' },
        },
      ],
    },
    monthly: {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t.t('registered'), type: 'bar', data: months.map((m) => stats.byMonth[m] ?? 0) },
        { name: t.t('closed'), type: 'bar', data: months.map((m) => closedByMonth[m] ?? 0) },
      ],
    },
    escalations: {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: levels.map((l, i) => `${l} ${levelNames[i]}`) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          data: levels.map((l) => stats.escalationsByLevel[l] ?? 0),
          itemStyle: { color: '#d35400' },
          label: { show: true, position: 'top' },
        },
      ],
    },
  };
}
