import { useEffect, useSyncExternalStore } from 'react';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, Navigate, NavLink, Outlet, useLocation, useNavigate, useRouteError } from 'react-router';
import { setLanguage } from '@quan/web-core';
import { i18n } from './i18n';
import { session, signOut, storedAccount, useSignedIn } from './runtime';

/** Renewed well before the access token's 15 minutes run out, so a confirm never waits on a renewal mid-shift. */
const KEEP_FRESH_MS = 10 * 60 * 1000;

function subscribeOnline(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

function Header() {
  const { t } = useTranslation('till');
  const navigate = useNavigate();
  const signedIn = useSignedIn();
  const english = i18n.language === 'en';
  const account = signedIn ? storedAccount() : undefined;
  return (
    <header className="q-header">
      <h1>{t('app.title')}</h1>
      {account && <span className="q-who">{account.displayName}</span>}
      <button type="button" className="q-lang" lang={english ? 'zh-CN' : 'en'} aria-label={t('app.languageLabel')} onClick={() => void setLanguage(i18n, english ? 'zh-CN' : 'en')}>
        {t('app.language')}
      </button>
      {signedIn && (
        <button type="button" className="q-lang" onClick={() => void signOut().then(() => navigate('/login'))}>
          {t('app.logout')}
        </button>
      )}
    </header>
  );
}

function TabNav() {
  const { t } = useTranslation('till');
  const admin = storedAccount()?.role === 'merchant_admin';
  const tabs = [
    { to: '/', label: t('nav.checkout'), end: true },
    { to: '/today', label: t('nav.today'), end: false },
    ...(admin
      ? [
          { to: '/cashiers', label: t('nav.cashiers'), end: false },
          { to: '/statements', label: t('nav.statements'), end: false },
        ]
      : []),
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
  const { t } = useTranslation('till');
  const signedIn = useSignedIn();
  const online = useOnline();
  useEffect(() => {
    if (!signedIn) return;
    const timer = setInterval(() => void session.refresh().catch(() => undefined), KEEP_FRESH_MS);
    return () => clearInterval(timer);
  }, [signedIn]);
  return (
    <>
      <a className="q-skip" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      {!online && (
        <div className="q-offline" role="alert">
          {t('offline')}
        </div>
      )}
      <main id="main" className="q-main">
        <Outlet />
      </main>
      {signedIn && <TabNav />}
    </>
  );
}

export function RequireSession() {
  const signedIn = useSignedIn();
  const location = useLocation();
  if (!signedIn) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <Outlet />;
}

/** Cashier management and statements are the merchant admin's. */
export function RequireAdmin() {
  if (storedAccount()?.role !== 'merchant_admin') return <Navigate to="/" replace />;
  return <Outlet />;
}

export function RouteError() {
  const { t } = useTranslation('till');
  const error = useRouteError();
  return (
    <main className="q-main">
      <section className="q-card q-stack" role="alert">
        <h2>{t('common.error')}</h2>
        {isRouteErrorResponse(error) && <p>{error.status}</p>}
        <Button color="primary" block size="large" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>
      </section>
    </main>
  );
}
