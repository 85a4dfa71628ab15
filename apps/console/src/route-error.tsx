import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** A screen that failed to load or draw (a chunk gone after a release, a bug): never a blank page. */
export function ConsoleRouteError() {
  const { t } = useTranslation('web');
  const error = useRouteError();
  return (
    <main id="main" className="c-content">
      <Result
        status="error"
        title={t('routeError.title')}
        subTitle={isRouteErrorResponse(error) ? String(error.status) : t('routeError.hint')}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            {t('routeError.reload')}
          </Button>
        }
      />
    </main>
  );
}

/** While a screen's code or data arrives. */
export function ConsoleLoading() {
  const { t } = useTranslation('console');
  return (
    <div className="c-loading" role="status">
      {t('common.loading')}
    </div>
  );
}
