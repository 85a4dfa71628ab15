import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { LanguageButton, SkipLink, TabBar, useSignedIn } from '@quan/web-ui';
import { BusyBanner } from './components/busy-banner';
import { setCareMode, useCareMode } from './preferences';
import { session } from './runtime';

/** The header of every screen, the first included: 关怀模式 and the language, both remembered. */
function Header() {
  const { t } = useTranslation('resident');
  const care = useCareMode();
  return (
    <header className="q-header">
      <h1>{t('app.title')}</h1>
      <label>
        <input
          type="checkbox"
          role="switch"
          checked={care}
          onChange={(e) => setCareMode(e.target.checked)}
          style={{ width: 24, height: 24 }}
        />
        {t('prefs.care')}
      </label>
      <LanguageButton />
    </header>
  );
}

export function Layout() {
  const { t } = useTranslation('resident');
  const signedIn = useSignedIn(session);
  const tabs = [
    { to: '/', label: t('nav.rounds'), end: true },
    { to: '/wallet', label: t('nav.wallet') },
    { to: '/merchants', label: t('nav.merchants') },
  ];
  return (
    <>
      <SkipLink />
      <Header />
      <main id="main" className="q-main">
        <BusyBanner />
        <Outlet />
      </main>
      {signedIn && <TabBar tabs={tabs} label={t('app.title')} />}
    </>
  );
}
