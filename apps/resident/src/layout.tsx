import { useSyncExternalStore } from 'react';
import { Button, DotLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, Navigate, NavLink, Outlet, useLocation, useRouteError } from 'react-router';
import { setLanguage } from '@quan/web-core';
import { i18n } from './i18n';
import { setCareMode, useCareMode } from './preferences';
import { session } from './runtime';

export function useSignedIn(): boolean {
  return useSyncExternalStore(session.subscribe, () => session.signedIn);
}

/** The header of every screen, the first included: 关怀模式 and the language, both remembered. */
function Header() {
  const { t } = useTranslation('resident');
  const care = useCareMode();
  const english = i18n.language === 'en';
  return (
    <header className="q-header">
      <h1>{t('app.title')}</h1>
      <label>
        <input type="checkbox" role="switch" checked={care} onChange={(e) => setCareMode(e.target.checked)} style={{ width: 24, height: 24 }} />
        {t('prefs.care')}
      </label>
      <button type="button" className="q-lang" lang={english ? 'zh-CN' : 'en'} title={t('prefs.languageLabel')} onClick={() => void setLanguage(i18n, english ? 'zh-CN' : 'en')}>
        {t('prefs.language')}
      </button>
    </header>
  );
}

function TabNav() {
  const { t } = useTranslation('resident');
  const tabs = [
    { to: '/', label: t('nav.rounds'), end: true },
    { to: '/wallet', label: t('nav.wallet'), end: false },
    { to: '/merchants', label: t('nav.merchants'), end: false },
  ];
  return (
    <nav className="q-tabs" aria-label={t('app.title')}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end}>
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}

export function Layout() {
  const { t } = useTranslation('resident');
  const signedIn = useSignedIn();
  return (
    <>
      <a className="q-skip" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      <main id="main" className="q-main">
        <Outlet />
      </main>
      {signedIn && <TabNav />}
    </>
  );
}

/** Screens that need a signed-in resident send the others to the login, and back afterwards. */
export function RequireSession() {
  const signedIn = useSignedIn();
  const location = useLocation();
  if (!signedIn) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <Outlet />;
}

/** A screen that failed to load or draw (a chunk missing after a deploy, a bug): never a blank page. */
export function RouteError() {
  const { t } = useTranslation('resident');
  const error = useRouteError();
  return (
    <main className="q-main">
      <section className="q-card q-stack" role="alert">
        <h2>{t('errors.title')}</h2>
        <p>{isRouteErrorResponse(error) ? `${error.status}` : t('errors.downHint')}</p>
        <Button color="primary" block size="large" onClick={() => window.location.reload()}>
          {t('errors.reload')}
        </Button>
      </section>
    </main>
  );
}

/** While the first screen's code arrives. */
export function Loading() {
  return (
    <p className="q-loading" role="status">
      <DotLoading color="primary" />
    </p>
  );
}
