import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { busyState } from '@quan/web-api';

/**
 * While the api has shed a call and the client waits to send it again (its Retry-After), a calm line says so
 * with the seconds left, instead of an error: the resident need not tap anything.
 */
export function BusyBanner() {
  const { t } = useTranslation();
  const until = useSyncExternalStore(busyState.subscribe, busyState.get);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (until === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [until]);
  if (until === undefined) return null;
  return (
    <div className="q-note q-stack" role="status" aria-live="polite">
      {t('errors:BUSY', { seconds: Math.max(1, Math.ceil((until - now) / 1000)) })}
    </div>
  );
}
