import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A message written in the same transaction as the change it announces (transactional outbox). The
 * worker's relay enqueues each one on BullMQ with a job id derived from `id` and sets `relayedAt`,
 * so a message is published if and only if its change committed, and a retried relay cannot enqueue twice.
 */
@Entity('outbox')
@Index('ix_outbox_pending', ['id'], { where: '"relayed_at" IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /** What happened, e.g. redemption.redeemed, redemption.reversed (see OutboxTopic). */
  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'jsonb' })
  payload!: object;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  relayedAt!: Date | null;
}
