import { useEffect, useState } from 'react';
import { ApiProblem, download, get, request } from '../api';
import { useI18n } from '../i18n';
import { ProblemBox } from './ProblemBox';

interface Progress {
  position: number;
  head: number;
  events: number;
}
interface Result {
  ok: boolean;
  firstBreak?: unknown;
  breaks?: unknown[];
  digest?: unknown;
  [key: string]: unknown;
}
interface Digest {
  eventPosition: number;
  position?: number;
  hash?: string;
  at?: string;
  keyId?: string;
  signatureCheck?: unknown;
  [key: string]: unknown;
}

/** The auditor's page: verify the log with the streamed progress, the signed digests, the export. */
export function Audit() {
  const t = useI18n();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [running, setRunning] = useState(false);
  const [digests, setDigests] = useState<Digest[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    void get<{ items: Digest[] }>('/audit/digests')
      .then((d) => setDigests(d.items))
      .catch((error: unknown) => error instanceof ApiProblem && setProblem(error));
  }, []);
  const verify = async () => {
    setRunning(true);
    setResult(null);
    setProgress(null);
    setProblem(null);
    try {
      // NDJSON: {"progress":…} lines while it runs, then one {"result":…}
      const res = await request('/audit/verify');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (value) buffer += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line) continue;
          const msg = JSON.parse(line) as { progress?: Progress; result?: Result };
          if (msg.progress) setProgress(msg.progress);
          if (msg.result) setResult(msg.result);
        }
        if (done) break;
      }
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem({ status: 0, detail: String(error) }));
    } finally {
      setRunning(false);
    }
  };
  const signature = (check: unknown) =>
    typeof check === 'string' ? check : check && typeof check === 'object' ? JSON.stringify(check) : '—';
  return (
    <section className="audit">
      <h1 tabIndex={-1}>{t.t('audit')}</h1>
      <div className="toolbar">
        <button type="button" onClick={() => void verify()} disabled={running} data-testid="verify">
          {t.t('verify')}
        </button>
        <button
          type="button"
          onClick={() => void download('/audit/export', 'duban-log.ndjson').catch(() => undefined)}
          data-download="export"
        >
          {t.t('exportLog')}
        </button>
      </div>
      {(running || progress) && (
        <div className="progress">
          <label htmlFor="verify-progress">
            {t.t('verifying')} {progress ? `${progress.position}/${progress.head}` : ''}
          </label>
          <progress
            id="verify-progress"
            data-testid="verify-progress"
            max={progress?.head || 1}
            value={progress?.position ?? 0}
            data-seen={progress ? 'true' : 'false'}
          />
        </div>
      )}
      {result && (
        <div
          className={result.ok ? 'ok' : 'problem'}
          role="status"
          data-testid="verify-result"
          data-ok={String(result.ok)}
        >
          <strong>{result.ok ? t.t('verifyOk') : t.t('verifyBroken')}</strong>
          {!result.ok && (
            <p>
              {t.t('firstBreak')}: <code>{JSON.stringify(result.firstBreak)}</code>
            </p>
          )}
          <details>
            <summary>JSON</summary>
            <pre>{JSON.stringify(result, null, 2)}</pre>
          </details>
        </div>
      )}
      {problem && <ProblemBox problem={problem} />}
      <h2>{t.t('digests')}</h2>
      {digests === null ? (
        <p aria-busy="true">{t.t('loading')}</p>
      ) : digests.length === 0 ? (
        <p>{t.t('none')}</p>
      ) : (
        <table className="grid" data-testid="digests">
          <thead>
            <tr>
              <th scope="col">{t.t('position')}</th>
              <th scope="col">{t.t('when')}</th>
              <th scope="col">hash</th>
              <th scope="col">{t.t('signature')}</th>
            </tr>
          </thead>
          <tbody>
            {digests.map((d) => (
              <tr key={d.eventPosition}>
                <td>{String(d.position ?? d.eventPosition)}</td>
                <td>{t.date(typeof d.at === 'string' ? d.at : undefined)}</td>
                <td>
                  <code>{typeof d.hash === 'string' ? `${d.hash.slice(0, 16)}…` : '—'}</code>
                </td>
                <td>{signature(d.signatureCheck)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
