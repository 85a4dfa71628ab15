import { newIdempotencyKey } from './idempotency';

describe('idempotency keys', () => {
  it('are random UUIDs v4, a new one on every call', () => {
    const keys = Array.from({ length: 1000 }, () => newIdempotencyKey());
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
