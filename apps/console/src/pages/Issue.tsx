import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { all, ApiProblem, get, post, type HistoryEvent, type IssueView, type Session, type Unit } from '../api';
import { agencyInstant, useI18n } from '../i18n';
import { useRoute } from '../router';
import { ACTIONS, type Action } from './actions';
import { ProblemBox } from './ProblemBox';

/** What an event says about why: its reason, note, comment or text. */
function reasonOf(e: HistoryEvent): string {
  const d = e.data;
  for (const key of ['reason', 'note', 'comment', 'text', 'summary', 'instructions', 'verdict'])
    if (typeof d[key] === 'string' && d[key]) return d[key];
  return '';
}

/** One issue: its state, its timeline, the state as of any instant (?asOf=), and the caller's actions. */
export function IssuePage({ id, session }: { id: string; session: Session }) {
  const t = useI18n();
  const { query } = useRoute();
  const [issue, setIssue] = useState<IssueView | null>(null);
  const [events, setEvents] = useState<HistoryEvent[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [asOfIndex, setAsOfIndex] = useState<number | null>(null);
  const [past, setPast] = useState<IssueView | null>(null);

  const load = useCallback(async () => {
    try {
      const [view, history] = await Promise.all([
        get<IssueView>(`/issues/${encodeURIComponent(id)}`),
        get<{ events: HistoryEvent[] }>(`/issues/${encodeURIComponent(id)}/history`),
      ]);
      setIssue(view);
      setEvents([...history.events].sort((a, b) => a.revision - b.revision));
      setProblem(null);
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
    }
  }, [id]);
  useEffect(() => {
    void load();
    void all<Unit>('/units', 5000)
      .then(setUnits)
      .catch(() => undefined);
  }, [load]);

  // ?asOf= in the address opens the page at that instant
  useEffect(() => {
    const asOf = query.get('asOf');
    if (!asOf || events.length === 0 || asOfIndex !== null) return;
    const at = new Date(asOf).getTime();
    let index = 0;
    events.forEach((e, i) => {
      if (new Date(e.recordedAt).getTime() <= at) index = i;
    });
    setAsOfIndex(index);
  }, [events, query, asOfIndex]);

  useEffect(() => {
    if (asOfIndex === null || !events[asOfIndex]) {
      setPast(null);
      return;
    }
    const at = events[asOfIndex].recordedAt;
    const url = new URL(window.location.href);
    url.searchParams.set('asOf', at);
    window.history.replaceState(null, '', url);
    let cancelled = false;
    void get<IssueView>(`/issues/${encodeURIComponent(id)}?asOf=${encodeURIComponent(at)}`)
      .then((view) => !cancelled && setPast(view))
      .catch((error: unknown) => error instanceof ApiProblem && setProblem(error));
    return () => {
      cancelled = true;
    };
  }, [asOfIndex, events, id]);

  const unitName = (unitId: string | null | undefined) =>
    unitId ? (units.find((u) => u.id === unitId)?.name ?? unitId.slice(0, 8)) : '—';

  if (problem && !issue) return <ProblemBox problem={problem} />;
  if (!issue) return <p aria-busy="true">{t.t('loading')}</p>;
  const mine = ACTIONS.filter((a) => session.roles.some((r) => r === 'admin' || a.roles.includes(r)));
  const backToNow = () => {
    setAsOfIndex(null);
    const url = new URL(window.location.href);
    url.searchParams.delete('asOf');
    window.history.replaceState(null, '', url);
  };
  return (
    <article className="issue">
      <h1 tabIndex={-1}>{issue.title}</h1>
      <section aria-labelledby="state-h" className="state">
        <h2 id="state-h">{t.t('currentState')}</h2>
        <StateList issue={issue} unitName={unitName} testId="current-state" />
        <p className="description">
          <strong>{t.t('description')}：</strong>
          {issue.description}
        </p>
      </section>

      <section aria-labelledby="asof-h" className="asof">
        <h2 id="asof-h">{t.t('asOf')}</h2>
        {events.length > 0 && (
          <>
            <label htmlFor="asof-slider">
              {t.t('asOfAt')}：
              <output htmlFor="asof-slider" data-testid="asof-instant">
                {t.date(events[asOfIndex ?? events.length - 1].recordedAt)}
              </output>
            </label>
            <input
              id="asof-slider"
              type="range"
              min={0}
              max={events.length - 1}
              step={1}
              value={asOfIndex ?? events.length - 1}
              onChange={(e) => setAsOfIndex(Number(e.target.value))}
              aria-valuetext={`${events[asOfIndex ?? events.length - 1].revision + 1}/${events.length}: ${t.label('event', events[asOfIndex ?? events.length - 1].type)}`}
            />
            <button type="button" onClick={backToNow} disabled={asOfIndex === null}>
              {t.t('latest')}
            </button>
            {past && asOfIndex !== null && (
              <div className="past">
                <h3>{t.t('stateAsOf')}</h3>
                <StateList issue={past} unitName={unitName} testId="asof-state" />
              </div>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="timeline-h" className="timeline">
        <h2 id="timeline-h">
          {t.t('timeline')}（{events.length} {t.t('events')}）
        </h2>
        <table className="grid" data-testid="timeline">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t.t('when')}</th>
              <th scope="col">{t.t('who')}</th>
              <th scope="col">{t.t('what')}</th>
              <th scope="col">{t.t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e, i) => (
              <tr
                key={e.revision}
                data-type={e.type}
                data-revision={e.revision}
                className={asOfIndex !== null && i > asOfIndex ? 'future' : undefined}
              >
                <td>{e.revision + 1}</td>
                <td>
                  <time dateTime={e.recordedAt}>{t.date(e.recordedAt)}</time>
                </td>
                <td>
                  {e.actor.name ?? e.actor.id} <span className="muted">（{t.label('role', e.actor.role)}）</span>
                </td>
                <td>{t.label('event', e.type)}</td>
                <td>{reasonOf(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {mine.length > 0 && (
        <section aria-labelledby="actions-h" className="actions">
          <h2 id="actions-h">{t.t('actions')}</h2>
          {mine.map((action) => (
            <ActionForm key={action.key} action={action} issue={issue} units={units} onDone={load} />
          ))}
        </section>
      )}
    </article>
  );
}

function StateList({
  issue,
  unitName,
  testId,
}: {
  issue: IssueView;
  unitName: (id: string | null | undefined) => string;
  testId: string;
}) {
  const t = useI18n();
  return (
    <dl className="kv" data-testid={testId} data-status={issue.status}>
      <dt>{t.t('status')}</dt>
      <dd>
        <span className={`status status-${issue.status}`}>{t.label('status', issue.status)}</span>
      </dd>
      <dt>{t.t('source')}</dt>
      <dd>{t.label('source', issue.source)}</dd>
      <dt>{t.t('category')}</dt>
      <dd>{issue.category}</dd>
      <dt>{t.t('leadUnit')}</dt>
      <dd>{unitName(issue.leadUnitId)}</dd>
      <dt>{t.t('responsible')}</dt>
      <dd>{issue.responsiblePerson?.name ?? '—'}</dd>
      <dt>{t.t('deadline')}</dt>
      <dd>{t.date(issue.deadline)}</dd>
      <dt>{t.t('level')}</dt>
      <dd>{issue.escalationLevel || '—'}</dd>
      <dt>{t.t('registeredAt')}</dt>
      <dd>{t.date(issue.registeredAt)}</dd>
    </dl>
  );
}

function ActionForm({
  action,
  issue,
  units,
  onDone,
}: {
  action: Action;
  issue: IssueView;
  units: Unit[];
  onDone: () => Promise<void>;
}) {
  const t = useI18n();
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  // open where the action fits the issue's status when the page loads; the user opens and closes it after that
  const [open, setOpen] = useState(() => action.statuses.includes(issue.status));
  const label = (l: [string, string]) => (t.lang === 'zh' ? l[0] : l[1]);
  const pending = issue.extensionRequests.filter((r) => !r.status || r.status === 'pending');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setDone(false);
    try {
      await post(
        `/issues/${encodeURIComponent(issue.id)}${action.path(values)}`,
        action.body(values, issue, agencyInstant),
      );
      setDone(true);
      setValues({});
      await onDone();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem({ status: 0, detail: String(error) }));
    } finally {
      setBusy(false);
    }
  };
  const id = (name: string) => `act-${action.key}-${name}`;
  return (
    <details
      className="action"
      open={open}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
      data-action={action.key}
    >
      <summary>{label(action.label)}</summary>
      <form onSubmit={submit} aria-label={label(action.label)}>
        {action.fields.map((f) => {
          const common = {
            id: id(f.name),
            name: f.name,
            value: values[f.name] ?? '',
            required: f.required,
            onChange: (ev: { target: { value: string } }) => setValues((v) => ({ ...v, [f.name]: ev.target.value })),
          };
          let control;
          if (f.kind === 'textarea') control = <textarea rows={2} {...common} />;
          else if (f.kind === 'datetime') control = <input type="datetime-local" {...common} />;
          else if (f.kind === 'number') control = <input type="number" min={f.min} max={f.max} {...common} />;
          else if (f.kind === 'unit')
            control = (
              <select {...common}>
                <option value="">—</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            );
          else if (f.kind === 'request')
            control = (
              <select {...common}>
                <option value="">—</option>
                {pending.map((r) => {
                  const rid = r.requestId ?? r.id ?? '';
                  return (
                    <option key={rid} value={rid}>
                      {t.date(r.newDeadline)} · {r.reason}
                    </option>
                  );
                })}
              </select>
            );
          else if (f.kind === 'select')
            control = (
              <select {...common}>
                {f.options!.values.map((o) => (
                  <option key={o} value={o}>
                    {f.options!.vocab
                      ? t.label(f.options!.vocab, o)
                      : o === 'true'
                        ? t.t('yes')
                        : o === 'false'
                          ? t.t('no')
                          : o}
                  </option>
                ))}
              </select>
            );
          else control = <input type="text" {...common} />;
          return (
            <div className="field" key={f.name}>
              <label htmlFor={id(f.name)}>{label(f.label)}</label>
              {control}
            </div>
          );
        })}
        <button type="submit" disabled={busy}>
          {t.t('submit')}
        </button>
        {done && (
          <p role="status" className="ok" data-testid="action-done">
            {t.t('done')}
          </p>
        )}
        {problem && <ProblemBox problem={problem} />}
      </form>
    </details>
  );
}
