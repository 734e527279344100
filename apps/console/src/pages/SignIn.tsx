import { useEffect, useState, type FormEvent } from 'react';
import { ApiProblem, meta, post, request, saveSession, type Session, type Unit } from '../api';
import { useI18n } from '../i18n';
import { ProblemBox } from './ProblemBox';

const ROLES = ['registrar', 'unit_officer', 'assessor', 'supervisor', 'auditor', 'admin'];
const DEV = meta('duban-env', 'production') === 'development';

/** Paste a bearer token; in development only, pick a role and the API mints one (POST /api/v1/dev/tokens). */
export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const t = useI18n();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [role, setRole] = useState('registrar');
  const [unitId, setUnitId] = useState('');
  const [units, setUnits] = useState<Unit[]>([]);

  useEffect(() => {
    if (!DEV) return;
    // the unit list, read with a development auditor's token
    void (async () => {
      try {
        const { token: reader } = await post<{ token: string }>('/dev/tokens', { role: 'auditor' }, '');
        const res = await request('/units?limit=1000', {}, reader);
        const list = ((await res.json()) as { items: Unit[] }).items;
        setUnits(list);
        if (list[1]) setUnitId(list[1].id);
      } catch (error) {
        if (error instanceof ApiProblem) setProblem(error);
      }
    })();
  }, []);

  const accept = async (candidate: string) => {
    setProblem(null);
    try {
      // a cheap authorised read proves the token before the console keeps it
      await request('/units?limit=1', {}, candidate.trim());
      const session = saveSession(candidate);
      if (!session) throw new ApiProblem({ status: 400, detail: 'not a JWT' });
      onSignedIn(session);
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem({ status: 0, detail: String(error) }));
    }
  };
  const onToken = (e: FormEvent) => {
    e.preventDefault();
    void accept(token);
  };
  const onRole = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      const body =
        role === 'unit_officer' ? { role, unitId } : role === 'supervisor' ? { role, unitIds: [unitId] } : { role };
      const minted = await post<{ token: string }>('/dev/tokens', body, '');
      await accept(minted.token);
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
    }
  };
  return (
    <section className="signin">
      <h1 tabIndex={-1}>{t.t('signIn')}</h1>
      <form onSubmit={onToken} aria-label={t.t('signIn')}>
        <label htmlFor="token">{t.t('token')}</label>
        <textarea
          id="token"
          name="token"
          rows={4}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby="token-help"
          spellCheck={false}
        />
        <p id="token-help" className="help">
          {t.t('tokenHelp')}
        </p>
        <button type="submit">{t.t('signIn')}</button>
      </form>
      {DEV && (
        <form onSubmit={onRole} aria-labelledby="dev-picker" className="dev" data-testid="dev-picker">
          <h2 id="dev-picker">{t.t('devPicker')}</h2>
          <label htmlFor="dev-role">{t.t('role')}</label>
          <select id="dev-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.label('role', r)} ({r})
              </option>
            ))}
          </select>
          {(role === 'unit_officer' || role === 'supervisor') && (
            <>
              <label htmlFor="dev-unit">{t.t('unit')}</label>
              <select id="dev-unit" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.code})
                  </option>
                ))}
              </select>
            </>
          )}
          <button type="submit">{t.t('signInAs')}</button>
        </form>
      )}
      {problem && <ProblemBox problem={problem} />}
    </section>
  );
}
