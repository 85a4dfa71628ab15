import { timeOrderedUuid } from './time-ordered-id';

describe('time-ordered ids', () => {
  it('are UUIDs of version 7 and the RFC variant, carrying the millisecond they were made in', () => {
    const at = Date.UTC(2026, 10, 27, 2, 0, 0, 123);
    const id = timeOrderedUuid(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sort in the order of their milliseconds, and differ within one', () => {
    const ids = [1, 2, 255, 256, 4096, 2 ** 40].map((ms) => timeOrderedUuid(Date.UTC(2026, 0, 1) + ms));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(Date.UTC(2026, 0, 1))));
    expect(same.size).toBe(1000);
  });
});
