import { useEffect, useState, type FormEvent } from 'react';
import { all, ApiProblem, get, type IssueView, type Unit } from '../api';
import { SOURCE_ORDER, STATUS_ORDER, useI18n } from '../i18n';
import { Link, useRoute } from '../router';
import { ProblemBox } from './ProblemBox';

interface Filters {
  status: string;
  source: string;
  q: string;
  overdue: boolean;
}

/** The issue list: filters, Chinese full-text search (?q=), cursor paging; filters live in the address. */
export function Issues() {
  const t = useI18n();
  const { query, navigate } = useRoute();
  const applied: Filters = {
    status: query.get('status') ?? '',
    source: query.get('source') ?? '',
    q: query.get('q') ?? '',
    overdue: query.get('overdue') === 'true',
  };
  const [form, setForm] = useState<Filters>(applied);
  const [items, setItems] = useState<IssueView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [units, setUnits] = useState<Map<string, Unit>>(new Map());
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const search = query.toString();

  const params = (after: string | null) => {
    const p = new URLSearchParams();
    if (applied.status) p.set('status', applied.status);
    if (applied.source) p.set('source', applied.source);
    if (applied.q) p.set('q', applied.q);
    if (applied.overdue) p.set('overdue', 'true');
    p.set('limit', '50');
    if (after) p.set('cursor', after);
    return p.toString();
  };
  const load = async (after: string | null) => {
    setProblem(null);
    try {
      const page = await get<{ items: IssueView[]; nextCursor: string | null }>(`/issues?${params(after)}`);
      setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
    }
  };
  useEffect(() => {
    setForm(applied);
    void load(null);
  }, [search]);
  useEffect(() => {
    void all<Unit>('/units', 5000)
      .then((list) => setUnits(new Map(list.map((u) => [u.id, u]))))
      .catch(() => undefined);
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (form.status) p.set('status', form.status);
    if (form.source) p.set('source', form.source);
    if (form.q.trim()) p.set('q', form.q.trim());
    if (form.overdue) p.set('overdue', 'true');
    navigate(`/issues${p.toString() ? `?${p}` : ''}`);
  };
  return (
    <section>
      <h1 tabIndex={-1}>{t.t('issues')}</h1>
      <form className="filters" onSubmit={submit} role="search" aria-label={t.t('filters')}>
        <label>
          {t.t('status')}
          <select value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })} name="status">
            <option value="">—</option>
            {STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {t.label('status', s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.t('source')}
          <select value={form.source} onChange={(e) => setForm({ ...form, source: e.target.value })} name="source">
            <option value="">—</option>
            {SOURCE_ORDER.map((s) => (
              <option key={s} value={s}>
                {t.label('source', s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.t('search')}
          <input
            type="search"
            name="q"
            value={form.q}
            placeholder={t.t('searchHelp')}
            minLength={3}
            maxLength={100}
            onChange={(e) => setForm({ ...form, q: e.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="overdue"
            checked={form.overdue}
            onChange={(e) => setForm({ ...form, overdue: e.target.checked })}
          />
          {t.t('overdueOnly')}
        </label>
        <button type="submit">{t.t('apply')}</button>
      </form>
      {problem && <ProblemBox problem={problem} />}
      {items === null ? (
        <p aria-busy="true">{t.t('loading')}</p>
      ) : items.length === 0 ? (
        <p>{t.t('noIssues')}</p>
      ) : (
        <table className="grid" data-testid="issue-table">
          <thead>
            <tr>
              <th scope="col">{t.t('titleCol')}</th>
              <th scope="col">{t.t('status')}</th>
              <th scope="col">{t.t('source')}</th>
              <th scope="col">{t.t('leadUnit')}</th>
              <th scope="col">{t.t('deadline')}</th>
              <th scope="col">{t.t('level')}</th>
              <th scope="col">{t.t('registeredAt')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((issue) => (
              <tr key={issue.id} data-issue={issue.id}>
                <td>
                  <Link to={`/issues/${issue.id}`}>{issue.title}</Link>
                </td>
                <td>
                  <span className={`status status-${issue.status}`}>{t.label('status', issue.status)}</span>
                </td>
                <td>{t.label('source', issue.source)}</td>
                <td>{issue.leadUnitId ? (units.get(issue.leadUnitId)?.name ?? '…') : '—'}</td>
                <td>{t.date(issue.deadline, false)}</td>
                <td>{issue.escalationLevel || '—'}</td>
                <td>{t.date(issue.registeredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" onClick={() => void load(cursor)}>
          {t.t('more')}
        </button>
      )}
    </section>
  );
}
