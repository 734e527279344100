import { useEffect, useState } from 'react';
import { ApiProblem, download, get } from '../api';
import { useI18n } from '../i18n';
import { ProblemBox } from './ProblemBox';

const LEDGERS = ['problems', 'responsibilities', 'rectifications'] as const;
type Ledger = (typeof LEDGERS)[number];
type Row = Record<string, unknown>;

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : typeof value === 'object'
      ? Array.isArray(value)
        ? value.map(cell).join('、')
        : JSON.stringify(value)
      : String(value);

/** 三本账: each ledger as a table (cursor-paged) with its CSV and XLSX downloads, in the page's language. */
export function Ledgers() {
  const t = useI18n();
  const [ledger, setLedger] = useState<Ledger>('problems');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const load = async (name: Ledger, after: string | null) => {
    setProblem(null);
    try {
      const page = await get<{ items: Row[]; nextCursor: string | null }>(
        `/ledgers/${name}?limit=50${after ? `&cursor=${after}` : ''}`,
      );
      setRows((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
    }
  };
  useEffect(() => {
    setRows(null);
    void load(ledger, null);
  }, [ledger]);
  const columns = rows && rows.length ? Object.keys(rows[0]) : [];
  const save = (format: 'csv' | 'xlsx') =>
    download(`/ledgers/${ledger}.${format}?lang=${t.lang}`, `${ledger}-ledger.${format}`).catch(
      (error: unknown) => error instanceof ApiProblem && setProblem(error),
    );
  return (
    <section>
      <h1 tabIndex={-1}>{t.t('ledgers')}</h1>
      <div role="tablist" aria-label={t.t('ledgers')} className="tabs">
        {LEDGERS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={ledger === name}
            onClick={() => setLedger(name)}
            id={`tab-${name}`}
          >
            {t.t(name)}
          </button>
        ))}
      </div>
      <div className="toolbar">
        <button type="button" onClick={() => void save('csv')} data-download="csv">
          {t.t('download')} CSV
        </button>
        <button type="button" onClick={() => void save('xlsx')} data-download="xlsx">
          {t.t('download')} XLSX
        </button>
      </div>
      {problem && <ProblemBox problem={problem} />}
      <div role="tabpanel" aria-labelledby={`tab-${ledger}`} className="scroll">
        {rows === null ? (
          <p aria-busy="true">{t.t('loading')}</p>
        ) : (
          <table className="grid" data-testid="ledger">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>{cell(row[c])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {cursor && (
        <button type="button" onClick={() => void load(ledger, cursor)}>
          {t.t('more')}
        </button>
      )}
    </section>
  );
}
