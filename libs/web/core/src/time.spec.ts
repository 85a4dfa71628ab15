import { formatCountdown, formatDateTime, formatTime } from './time';

describe('times on screen', () => {
  it('shows times in Asia/Shanghai whatever the zone of the phone', () => {
    expect(formatDateTime('2026-12-07T16:38:00Z')).toBe('2026/12/08 00:38');
    expect(formatTime('2026-12-07T23:59:59-08:00')).toBe('15:59:59');
  });

  it('counts down to the second, rounding up so 0 shows only at the opening', () => {
    expect(formatCountdown(3_723_000)).toBe('01:02:03');
    expect(formatCountdown(1)).toBe('00:00:01');
    expect(formatCountdown(-5)).toBe('00:00:00');
  });
});
