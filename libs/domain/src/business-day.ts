/** Business days are calendar days in Asia/Shanghai (UTC+8, no daylight saving time). */
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The business day (YYYY-MM-DD in Asia/Shanghai) that an instant belongs to. */
export function businessDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a business day starts (00:00 Asia/Shanghai). */
export function businessDayStart(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a business day: ${day}`);
  const start = new Date(`${day}T00:00:00+08:00`);
  if (Number.isNaN(start.getTime()) || businessDay(start) !== day) {
    throw new RangeError(`not a business day: ${day}`);
  }
  return start;
}

/** The business day before the one an instant belongs to: what a T+1 run due at that instant settles. */
export function previousBusinessDay(at: Date): string {
  return businessDay(new Date(at.getTime() - 24 * 60 * 60 * 1000));
}
