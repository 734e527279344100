import { StrictMode, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { clearSession, loadSession, type Session } from './api';
import { i18n, I18nContext, type Lang } from './i18n';
import { BASE, currentRoute, Link, RouteContext } from './router';
import { SignIn } from './pages/SignIn';
import { Dashboard } from './pages/Dashboard';
import { Issues } from './pages/Issues';
import { IssuePage } from './pages/Issue';
import { Ledgers } from './pages/Ledgers';
import { Audit } from './pages/Audit';
import { Appraisals } from './pages/Appraisals';
import './styles.css';

const LANG_KEY = 'duban.console.lang';

function App() {
  const [route, setRoute] = useState(currentRoute);
  const [session, setSession] = useState<Session | null>(loadSession);
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh'));
  const t = useMemo(() => i18n(lang), [lang]);
  useEffect(() => {
    const onPop = () => setRoute(currentRoute());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t.t('title')} · Duban`;
    localStorage.setItem(LANG_KEY, lang);
  }, [lang, t]);
  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', `${BASE}${to}`);
    setRoute(currentRoute());
    window.scrollTo(0, 0);
    // the new page's heading takes the focus, so a keyboard or screen-reader user hears where they are
    setTimeout(() => document.querySelector<HTMLElement>('main h1')?.focus(), 0);
  }, []);
  const signOut = () => {
    clearSession();
    setSession(null);
    navigate('/');
  };
  const { path } = route;
  const roles = session?.roles ?? [];
  const has = (...r: string[]) => roles.some((x) => x === 'admin' || r.includes(x));
  const nav: [string, Parameters<typeof t.t>[0], boolean][] = [
    ['/', 'dashboard', true],
    ['/issues', 'issues', true],
    ['/ledgers', 'ledgers', true],
    ['/audit', 'audit', has('auditor')],
    ['/appraisals', 'appraisals', has('registrar', 'auditor', 'assessor', 'supervisor')],
  ];
  let page;
  if (!session) page = <SignIn onSignedIn={(s) => setSession(s)} />;
  else if (path === '/' || path === '') page = <Dashboard session={session} />;
  else if (path === '/issues') page = <Issues />;
  else if (path.startsWith('/issues/')) page = <IssuePage id={decodeURIComponent(path.slice(8))} session={session} />;
  else if (path === '/ledgers') page = <Ledgers />;
  else if (path === '/audit') page = <Audit />;
  else if (path === '/appraisals') page = <Appraisals />;
  else
    page = (
      <h1 tabIndex={-1}>
        {t.t('notFound')}: {path}
      </h1>
    );
  return (
    <I18nContext.Provider value={t}>
      <RouteContext.Provider value={{ ...route, navigate }}>
        <a className="skip" href="#main">
          {t.t('skip')}
        </a>
        <header className="top">
          <span className="brand">督办 Duban · {t.t('title')}</span>
          {session && (
            <nav aria-label={t.t('title')}>
              <ul>
                {nav
                  .filter(([, , shown]) => shown)
                  .map(([to, word]) => (
                    <li key={to}>
                      <Link
                        to={to}
                        aria-current={(to === '/' ? path === '/' : path.startsWith(to)) ? 'page' : undefined}
                      >
                        {t.t(word)}
                      </Link>
                    </li>
                  ))}
              </ul>
            </nav>
          )}
          <span className="spacer" />
          {session && (
            <span className="who" data-testid="who">
              {session.name} · {session.roles.map((r) => t.label('role', r)).join('、')}
            </span>
          )}
          <button type="button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} aria-label={t.t('language')}>
            {t.t('switchLang')}
          </button>
          {session && (
            <button type="button" onClick={signOut}>
              {t.t('signOut')}
            </button>
          )}
        </header>
        <main id="main">{page}</main>
      </RouteContext.Provider>
    </I18nContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
