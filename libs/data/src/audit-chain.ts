import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';

/**
 * The audit log as a hash chain. Each entry stores the hash of the entry before it (prev_hash) and its own
 * hash: SHA-256 over prev_hash and a canonical serialisation of the entry (id, at to the microsecond, actor,
 * action, entity, before, after, request id), so changing, removing or reordering an entry breaks every
 * link after it. The chain starts at AUDIT_GENESIS_HASH; audit_chain_head holds its newest link.
 */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** An entry as the chain hashes it; `at` is UTC ISO 8601 with microseconds (what Postgres stores), not a Date. */
export interface ChainedEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  before: object | null;
  after: object | null;
  requestId: string | null;
}

/** A stored entry with its links. */
export interface StoredChainEntry extends ChainedEntry {
  prevHash: string;
  hash: string;
}

/** Postgres's timestamptz to the microsecond, in UTC: the form of `at` that is hashed. */
const AT_TEXT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The columns of audit_log as StoredChainEntry reads them. */
const CHAIN_COLUMNS = `id::text AS id, ${AT_TEXT('at')} AS at, actor_id AS "actorId", actor_role AS "actorRole", action,
  entity_type AS "entityType", entity_id AS "entityId", before, after, request_id AS "requestId", prev_hash AS "prevHash", hash`;

/** Objects with their keys sorted at every depth: one serialisation per JSON value, whatever order jsonb gives back. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

/** Version 1 of the canonical form. A change of form needs a new version and a migration that re-chains. */
export function auditEntryHash(prevHash: string, entry: ChainedEntry): string {
  const { id, at, actorId, actorRole, action, entityType, entityId, before, after, requestId } = entry;
  const canonical = JSON.stringify(
    sortedKeys({ v: 1, prevHash, id, at, actorId, actorRole, action, entityType, entityId, before, after, requestId }),
  );
  return createHash('sha256').update(canonical).digest('hex');
}

type Queryable = Pick<EntityManager, 'query'>;

/** Entries in chain order (by id), from after `afterId`, a page at a time. */
export async function readChainPage(db: Queryable, afterId: string | null, limit: number): Promise<StoredChainEntry[]> {
  // Ordered by the bigint column: a bare `id` would name the text one selected.
  return db.query(`SELECT ${CHAIN_COLUMNS} FROM audit_log a WHERE a.id > $1 ORDER BY a.id LIMIT $2`, [
    afterId ?? '0',
    limit,
  ]);
}

export interface ChainHead {
  /** The newest entry's id; null while the log is empty. */
  lastId: string | null;
  hash: string;
  /** The transaction's now(), as `at` is hashed. */
  now: string;
}

/**
 * Locks the chain head until the calling transaction ends and reads it. Every append takes this lock, so
 * appends are serialised, and ids (drawn while it is held) follow the chain. Under REPEATABLE READ a head
 * changed since the snapshot fails the transaction instead of forking the chain.
 */
export async function lockAuditChainHead(manager: EntityManager): Promise<ChainHead> {
  const [head]: { lastId: string | null; hash: string; now: string }[] = await manager.query(
    `SELECT last_id::text AS "lastId", hash, ${AT_TEXT('now()')} AS now FROM audit_chain_head WHERE id = 1 FOR UPDATE`,
  );
  return head;
}

/** Plain JSON (dates as ISO strings), as jsonb gives it back: what is hashed is what is stored. */
const asJson = (value: object | null): object | null =>
  value === null ? null : (JSON.parse(JSON.stringify(value)) as object);

/** What a caller adds to the log; the chain supplies id, at and the links. */
export type NewAuditEntry = Omit<ChainedEntry, 'id' | 'at'>;

/**
 * Appends entries at the head of the chain inside the caller's transaction (which must call nothing else
 * that locks after it, since the head stays locked until commit). Returns the new head.
 */
export async function appendAuditEntries(
  manager: EntityManager,
  entries: NewAuditEntry[],
): Promise<{ lastId: string; hash: string }> {
  const head = await lockAuditChainHead(manager);
  const ids: { id: string }[] = await manager.query(
    `SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::text AS id FROM generate_series(1, $1)`,
    [entries.length],
  );
  let hash = head.hash;
  const rows = entries.map((entry, index) => {
    const chained: ChainedEntry = {
      ...entry,
      before: asJson(entry.before),
      after: asJson(entry.after),
      id: ids[index].id,
      at: head.now,
    };
    const prevHash = hash;
    hash = auditEntryHash(prevHash, chained);
    return { ...chained, prevHash, hash };
  });
  const params: unknown[] = [];
  const values = rows.map((row) => {
    const json = (value: object | null) => (value === null ? null : JSON.stringify(value));
    const fields = [
      row.id,
      row.at,
      row.actorId,
      row.actorRole,
      row.action,
      row.entityType,
      row.entityId,
      json(row.before),
      json(row.after),
      row.requestId,
      row.prevHash,
      row.hash,
    ];
    const start = params.push(...fields) - fields.length;
    return `(${fields.map((_, i) => `$${start + i + 1}`).join(', ')})`;
  });
  const lastId = rows[rows.length - 1].id;
  params.push(lastId, hash);
  await manager.query(
    `WITH appended AS (
       INSERT INTO audit_log (id, at, actor_id, actor_role, action, entity_type, entity_id, before, after, request_id, prev_hash, hash)
       OVERRIDING SYSTEM VALUE VALUES ${values.join(', ')}
     )
     UPDATE audit_chain_head SET last_id = $${params.length - 1}, hash = $${params.length} WHERE id = 1`,
    params,
  );
  return { lastId, hash };
}

/** The first broken link, as the verifier names it. */
export interface BrokenLink {
  /** The entry whose link does not hold (for a missing tail, the head's last id). */
  id: string;
  problem: string;
}

export interface ChainVerification {
  /** Entries walked. */
  entries: number;
  /** The newest entry's id and hash, as the walk found them. */
  head: { id: string | null; hash: string };
  broken: BrokenLink | null;
}

const short = (hash: string | null) => (hash ? hash.slice(0, 16) : 'null');

/**
 * Walks the whole chain oldest first and names the first link that does not hold: an entry whose content
 * no longer hashes to its stored hash (it was changed), an entry whose prev_hash is not the hash of the
 * entry before it (one between was removed, or the one before was changed and rehashed), or a chain head
 * that names another entry than the last (entries at the end were removed). `expected` are hashes kept
 * elsewhere, e.g. anchors copied out of the system: each named entry must still carry that hash, which
 * catches a chain rewritten from some point on.
 */
export async function verifyAuditChain(
  db: Queryable,
  expected: { id: string; hash: string }[] = [],
  pageSize = 1000,
): Promise<ChainVerification> {
  const pending = new Map(expected.map((anchor) => [anchor.id, anchor.hash]));
  let previous: { id: string | null; hash: string } = { id: null, hash: AUDIT_GENESIS_HASH };
  let entries = 0;
  const result = (broken: BrokenLink | null): ChainVerification => ({ entries, head: previous, broken });
  for (;;) {
    const page = await readChainPage(db, previous.id, pageSize);
    for (const row of page) {
      if (row.prevHash !== previous.hash) {
        const before = previous.id === null ? 'the genesis' : `entry ${previous.id}`;
        return result({
          id: row.id,
          problem: `prev_hash ${short(row.prevHash)}… is not the hash ${short(previous.hash)}… of ${before}: an entry between them was removed, or ${before} was changed and rehashed`,
        });
      }
      const recomputed = auditEntryHash(row.prevHash, row);
      if (recomputed !== row.hash) {
        return result({
          id: row.id,
          problem: `content hashes to ${short(recomputed)}…, not to its stored hash ${short(row.hash)}…: the entry was changed`,
        });
      }
      const anchored = pending.get(row.id);
      if (anchored !== undefined && anchored !== row.hash) {
        return result({
          id: row.id,
          problem: `hash ${short(row.hash)}… is not the anchored ${short(anchored)}…: the chain was rewritten from here or before`,
        });
      }
      pending.delete(row.id);
      previous = { id: row.id, hash: row.hash };
      entries += 1;
    }
    if (page.length < pageSize) break;
  }
  const [missing] = pending.keys();
  if (missing !== undefined) return result({ id: missing, problem: 'the anchored entry is missing' });
  const [head]: { lastId: string | null; hash: string }[] = await db.query(
    `SELECT last_id::text AS "lastId", hash FROM audit_chain_head WHERE id = 1`,
  );
  if (!head) return result({ id: previous.id ?? '0', problem: 'the chain head (audit_chain_head) is missing' });
  if (head.lastId !== previous.id || head.hash !== previous.hash) {
    return result({
      id: head.lastId ?? '0',
      problem: `the chain head names entry ${head.lastId ?? 'none'} (${short(head.hash)}…) but the last entry is ${previous.id ?? 'none'} (${short(previous.hash)}…): entries at the end were removed`,
    });
  }
  return result(null);
}
