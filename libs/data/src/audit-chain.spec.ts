import { AUDIT_GENESIS_HASH, auditEntryHash, ChainedEntry } from './audit-chain';

const entry: ChainedEntry = {
  id: '42',
  at: '2026-11-20T02:00:00.123456Z',
  actorId: null,
  actorRole: 'system',
  action: 'campaign.start',
  entityType: 'campaign',
  entityId: 'c1',
  before: { status: 'published', limits: { perPerson: 2, perDay: null }, tags: ['餐饮', 'retail'] },
  after: { status: 'running', limits: { perDay: null, perPerson: 2 }, tags: ['餐饮', 'retail'] },
  requestId: null,
};

describe('auditEntryHash', () => {
  it('is SHA-256 hex, the same whatever order jsonb gives the keys back in', () => {
    const hash = auditEntryHash(AUDIT_GENESIS_HASH, entry);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const reordered = {
      ...entry,
      before: { tags: ['餐饮', 'retail'], limits: { perDay: null, perPerson: 2 }, status: 'published' },
    };
    expect(auditEntryHash(AUDIT_GENESIS_HASH, reordered)).toBe(hash);
  });

  it('changes with the link before it and with every field of the entry, down to a microsecond or an array order', () => {
    const hash = auditEntryHash(AUDIT_GENESIS_HASH, entry);
    expect(auditEntryHash('1'.repeat(64), entry)).not.toBe(hash);
    const changed: Partial<ChainedEntry>[] = [
      { id: '43' },
      { at: '2026-11-20T02:00:00.123457Z' },
      { actorId: '00000000-0000-4000-8000-000000000001' },
      { actorRole: 'city_admin' },
      { action: 'campaign.end' },
      { entityType: 'round' },
      { entityId: 'c2' },
      { before: null },
      { requestId: 'r1' },
      { after: { status: 'running', limits: { perDay: null, perPerson: 3 }, tags: ['餐饮', 'retail'] } },
      { after: { status: 'running', limits: { perDay: null, perPerson: 2 }, tags: ['retail', '餐饮'] } },
    ];
    for (const change of changed)
      expect({ change, same: auditEntryHash(AUDIT_GENESIS_HASH, { ...entry, ...change }) === hash }).toEqual({
        change,
        same: false,
      });
  });
});
