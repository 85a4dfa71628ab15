import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useNavigate } from 'react-router';
import { LanguageButton, SkipLink, TabBar, useOnline, useSignedIn } from '@quan/web-ui';
import { session, signOut, storedAccount } from './runtime';

/** Renewed well before the access token's 15 minutes run out, so a confirm never waits on a renewal mid-shift. */
const KEEP_FRESH_MS = 10 * 60 * 1000;

function Header() {
  const { t } = useTranslation('till');
  const navigate = useNavigate();
  const signedIn = useSignedIn(session);
  const account = signedIn ? storedAccount() : undefined;
  return (
    <header className="q-header">
      <h1>{t('app.title')}</h1>
      {account && <span className="q-who">{account.displayName}</span>}
      <LanguageButton />
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
  return <TabBar tabs={tabs} label={t('app.title')} />;
}

export function Layout() {
  const { t } = useTranslation('till');
  const signedIn = useSignedIn(session);
  const online = useOnline();
  useEffect(() => {
    if (!signedIn) return;
    const timer = setInterval(() => void session.refresh().catch(() => undefined), KEEP_FRESH_MS);
    return () => clearInterval(timer);
  }, [signedIn]);
  return (
    <>
      <SkipLink />
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

/** Cashier management and statements are the merchant admin's. */
export function RequireAdmin() {
  if (storedAccount()?.role !== 'merchant_admin') return <Navigate to="/" replace />;
  return <Outlet />;
}
