import { EntityManager } from 'typeorm';
import { appendAuditEntries, lockAuditChainHead, SYSTEM_ACTOR_ROLE } from '@quan/data';
import { requestContext } from '../logging/logger';

/** Who made a change: a staff member (id and role) or the system. */
export interface AuditActor {
  id: string | null;
  role: string;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, role: SYSTEM_ACTOR_ROLE };

export interface AuditChange {
  /** e.g. campaign.approve, merchant.suspend, staff_account.create */
  action: string;
  entityType: string;
  entityId: string;
  /** The API representation before the change; null when created. */
  before: object | null;
  /** The API representation after the change; null when deleted. */
  after: object | null;
}

/**
 * Appends audit entries inside the caller's transaction, so a change and its record commit or roll
 * back together. The request id comes from the request's context (null outside a request). The entries
 * join the hash chain: the chain head stays locked until the transaction ends, so call this last.
 */
export async function recordAudit(manager: EntityManager, actor: AuditActor, ...changes: AuditChange[]): Promise<void> {
  if (changes.length === 0) return;
  const requestId = requestContext.getStore()?.requestId ?? null;
  await appendAuditEntries(
    manager,
    changes.map((change) => ({ ...change, actorId: actor.id, actorRole: actor.role, requestId })),
  );
}

/**
 * One entity's change, audited in the caller's transaction: `load(true)` reads it locked (so concurrent
 * changes take turns), `change` applies it, and the entity before and after, as `shown` presents it, is the
 * audit entry. Answers the entity as it is after.
 */
export async function changeAudited<T>(
  manager: EntityManager,
  actor: AuditActor,
  entry: Pick<AuditChange, 'action' | 'entityType' | 'entityId'>,
  load: (lock: boolean) => Promise<T>,
  change: (before: T) => Promise<void>,
  shown: (entity: T) => object = (entity) => entity as object,
): Promise<T> {
  const before = await load(true);
  await change(before);
  const after = await load(false);
  await recordAudit(manager, actor, { ...entry, before: shown(before), after: shown(after) });
  return after;
}

/** The action of an anchor entry: the chain head, written into the log by the worker. */
export const AUDIT_ANCHOR_ACTION = 'audit.anchor';

/** What an anchor entry records: the entry that was the chain head, and its hash. */
export interface AuditAnchor {
  anchoredId: string;
  anchoredHash: string;
}

/**
 * Writes the chain head into the log as an anchor entry by the system, for auditors to copy out of the
 * system (GET /audit-log/head) and check later with `npm run audit:verify -- --anchor ID=HASH`. Nothing is
 * written while the log is empty or its newest entry is already an anchor, so an idle log does not grow.
 */
export async function anchorAuditChain(manager: EntityManager): Promise<AuditAnchor | null> {
  const head = await lockAuditChainHead(manager);
  if (head.lastId === null) return null;
  const [last]: { action: string }[] = await manager.query(`SELECT action FROM audit_log WHERE id = $1`, [head.lastId]);
  if (last?.action === AUDIT_ANCHOR_ACTION) return null;
  const anchor: AuditAnchor = { anchoredId: head.lastId, anchoredHash: head.hash };
  await recordAudit(manager, SYSTEM_ACTOR, {
    action: AUDIT_ANCHOR_ACTION,
    entityType: 'audit_log',
    entityId: head.lastId,
    before: null,
    after: anchor,
  });
  return anchor;
}
