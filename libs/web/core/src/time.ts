import { BUSINESS_TIME_ZONE } from '@quan/domain';

/** Times are shown in the city's time zone (Asia/Shanghai) whatever the phone's zone is. */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: BUSINESS_TIME_ZONE, hourCycle: 'h23', ...options });
    formats.set(key, format);
  }
  return format;
}

type When = string | number | Date;

/** "2026/12/07 16:38" (zh-CN), "12/07/2026, 16:38" (en). */
export function formatDateTime(when: When, locale = 'zh-CN'): string {
  return formatter(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(when));
}

/** "2026/12/07". */
export function formatDate(when: When, locale = 'zh-CN'): string {
  return formatter(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(when));
}

/** "16:38:05". */
export function formatTime(when: When, locale = 'zh-CN'): string {
  return formatter(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(when));
}

/** A countdown to the second: 3_723_000 → "01:02:03"; a day or more → "1d 01:02:03" style is left to the app. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}
