import { dayAfterStart, dayStart } from './days';

describe('the audit filter dates', () => {
  it('starts a business day at midnight in Asia/Shanghai', () => {
    expect(dayStart('2026-12-07')).toBe('2026-12-07T00:00:00+08:00');
    expect(Date.parse(dayStart('2026-12-07'))).toBe(Date.parse('2026-12-06T16:00:00Z'));
  });

  it('ends a range that includes its last day at the start of the next, across months and years', () => {
    expect(dayAfterStart('2026-12-07')).toBe('2026-12-08T00:00:00+08:00');
    expect(dayAfterStart('2026-02-28')).toBe('2026-03-01T00:00:00+08:00');
    expect(dayAfterStart('2026-12-31')).toBe('2027-01-01T00:00:00+08:00');
  });
});
