const DAY_MS = 86_400_000;

/** The start of a business day (Asia/Shanghai, no daylight saving) as an instant with its offset, e.g. "2026-12-07T00:00:00+08:00". */
export function dayStart(day: string): string {
  return `${day}T00:00:00+08:00`;
}

/** The start of the day after `day`: the exclusive end of a range that includes `day`. */
export function dayAfterStart(day: string): string {
  return dayStart(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10));
}
