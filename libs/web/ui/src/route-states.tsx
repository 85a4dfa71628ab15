import { Button, DotLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** A screen that failed to load or draw (a chunk gone after a release, a bug): never a blank page. */
export function RouteError() {
  const { t } = useTranslation('web');
  const error = useRouteError();
  return (
    <main className="q-main">
      <section className="q-card q-stack" role="alert">
        <h2>{t('routeError.title')}</h2>
        <p>{isRouteErrorResponse(error) ? String(error.status) : t('routeError.hint')}</p>
        <Button color="primary" block size="large" onClick={() => window.location.reload()}>
          {t('routeError.reload')}
        </Button>
      </section>
    </main>
  );
}

/** While a screen's code arrives. */
export function Loading() {
  return (
    <p className="q-loading" role="status">
      <DotLoading color="primary" />
    </p>
  );
}

/** The first focusable element: jumps over the header to `#main`. */
export function SkipLink() {
  const { t } = useTranslation('web');
  return (
    <a className="q-skip" href="#main">
      {t('skip')}
    </a>
  );
}
