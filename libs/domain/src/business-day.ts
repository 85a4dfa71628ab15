/** Business days are calendar days in Asia/Shanghai (UTC+8, no daylight saving time). */
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant the business day of `at` starts (00:00 Asia/Shanghai); arithmetic, since the offset is fixed. */
export function startOfBusinessDay(at: Date): Date {
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS);
}

/** The last day formatted, with the instants it runs between: the claim path asks for the same day thousands of times a second. */
let today = { from: 0, until: 0, day: '' };

/** The business day (YYYY-MM-DD in Asia/Shanghai) that an instant belongs to. */
export function businessDay(at: Date): string {
  const ms = at.getTime();
  if (ms >= today.from && ms < today.until) return today.day;
  const from = startOfBusinessDay(at).getTime();
  today = { from, until: from + DAY_MS, day: new Date(from + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10) };
  return today.day;
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
  return businessDay(new Date(at.getTime() - DAY_MS));
}
