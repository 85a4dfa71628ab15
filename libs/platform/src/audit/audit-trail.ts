import { EntityManager } from 'typeorm';
import { AuditLog, SYSTEM_ACTOR_ROLE } from '@quan/data';
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

/** Plain JSON (dates as ISO strings), as it will read back from jsonb. */
const asJson = (value: object | null): object | null => (value === null ? null : (JSON.parse(JSON.stringify(value)) as object));

/**
 * Appends audit entries inside the caller's transaction, so a change and its record commit or roll
 * back together. The request id comes from the request's context (null outside a request).
 */
export async function recordAudit(manager: EntityManager, actor: AuditActor, ...changes: AuditChange[]): Promise<void> {
  if (changes.length === 0) return;
  const requestId = requestContext.getStore()?.requestId ?? null;
  await manager.insert(
    AuditLog,
    changes.map((change) => manager.create(AuditLog, {
      actorId: actor.id,
      actorRole: actor.role,
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      before: asJson(change.before),
      after: asJson(change.after),
      requestId,
    })),
  );
}
