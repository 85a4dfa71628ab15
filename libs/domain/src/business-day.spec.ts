import { businessDay, businessDayStart, previousBusinessDay, startOfBusinessDay } from './business-day';

describe('business days in Asia/Shanghai', () => {
  it('puts 16:00 UTC into the next Shanghai day', () => {
    expect(businessDay(new Date('2026-11-27T15:59:59.999Z'))).toBe('2026-11-27');
    expect(businessDay(new Date('2026-11-27T16:00:00.000Z'))).toBe('2026-11-28');
  });

  it('answers each instant its own day when asked across days in any order', () => {
    const instants = [
      '2026-11-27T16:00:00.000Z',
      '2026-11-27T15:59:59.999Z',
      '2026-11-28T15:59:59.999Z',
      '2026-11-27T16:00:00.000Z',
      '1969-12-31T15:59:59.999Z',
    ];
    expect(instants.map((at) => businessDay(new Date(at)))).toEqual([
      '2026-11-28',
      '2026-11-27',
      '2026-11-28',
      '2026-11-28',
      '1969-12-31',
    ]);
  });

  it('starts a day at midnight Shanghai time', () => {
    expect(businessDayStart('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(startOfBusinessDay(new Date('2026-11-27T15:59:59.999Z')).toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(startOfBusinessDay(new Date('2026-11-27T16:00:00.000Z')).toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(startOfBusinessDay(new Date('1969-12-31T12:00:00.000Z')).toISOString()).toBe('1969-12-30T16:00:00.000Z');
  });

  it('rejects days that do not exist', () => {
    expect(() => businessDayStart('2026-02-30')).toThrow(RangeError);
    expect(() => businessDayStart('27/11/2026')).toThrow(RangeError);
  });
});

describe('previousBusinessDay', () => {
  it('is the Shanghai day before the one the instant falls in, whatever the UTC date', () => {
    expect(previousBusinessDay(new Date('2026-11-27T02:00:00+08:00'))).toBe('2026-11-26');
    expect(previousBusinessDay(new Date('2026-11-27T00:00:00+08:00'))).toBe('2026-11-26');
    expect(previousBusinessDay(new Date('2026-11-26T23:59:59+08:00'))).toBe('2026-11-25');
    expect(previousBusinessDay(new Date('2026-03-01T01:00:00+08:00'))).toBe('2026-02-28');
  });
});
