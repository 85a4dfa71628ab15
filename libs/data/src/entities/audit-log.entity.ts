import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed something: a staff member, or the system (the campaign clock) with a null id. */
export const SYSTEM_ACTOR_ROLE = 'system';

/**
 * One change to the bureau's or a merchant's data: who, when, what, before and after. Written in the
 * same transaction as the change; append-only (a trigger refuses UPDATE and DELETE), and tamper-evident:
 * each entry carries the hash of the one before it (libs/data audit-chain.ts).
 */
@Entity('audit_log')
@Index('ix_audit_log_entity', ['entityType', 'entityId', 'id'])
@Index('ix_audit_log_actor', ['actorId', 'id'])
@Index('ix_audit_log_at', ['at'])
export class AuditLog {
  /** Increases with every entry: the order of the log and the cursor of its pages. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  /** The staff account that made the change; null for the system. */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** The actor's role at the time (a staff role, or "system"). */
  @Column({ type: 'text' })
  actorRole!: string;

  /** What was done, e.g. campaign.approve, merchant.suspend. */
  @Column({ type: 'text' })
  action!: string;

  /** The kind of thing changed, e.g. campaign, round, merchant, staff_account. */
  @Column({ type: 'text' })
  entityType!: string;

  @Column({ type: 'text' })
  entityId!: string;

  /** The thing before the change (null when it was created). */
  @Column({ type: 'jsonb', nullable: true })
  before!: object | null;

  /** The thing after the change (null when it was deleted). */
  @Column({ type: 'jsonb', nullable: true })
  after!: object | null;

  /** The X-Request-Id of the request that made the change, to find its log lines. */
  @Column({ type: 'text', nullable: true })
  requestId!: string | null;

  /** The hash of the entry before this one (AUDIT_GENESIS_HASH for the first): the link of the chain. */
  @Column({ type: 'text' })
  prevHash!: string;

  /** SHA-256 (hex) of prevHash and this entry's canonical form (auditEntryHash). */
  @Column({ type: 'text' })
  hash!: string;
}

/**
 * The newest entry of the audit chain: one row, locked FOR UPDATE by every transaction that appends, so
 * appends form one chain in the order of their ids however many transactions write at once.
 */
@Entity('audit_chain_head')
@Check('ck_audit_chain_head_single', '"id" = 1')
export class AuditChainHead {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  /** The newest entry's id; null while the log is empty. */
  @Column({ type: 'bigint', nullable: true })
  lastId!: string | null;

  /** The newest entry's hash (AUDIT_GENESIS_HASH while the log is empty). */
  @Column({ type: 'text' })
  hash!: string;
}
