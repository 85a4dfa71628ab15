import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@quan/config';
import { JobPayloads, OutboxTopic, outboxJobId, QueueName, RedemptionEvent } from '@quan/data';

interface PendingRow {
  id: string;
  topic: OutboxTopic;
  payload: RedemptionEvent;
}

/**
 * Moves committed outbox rows onto the settlement queue, oldest first. Each batch is taken with
 * FOR UPDATE SKIP LOCKED (so replicas relaying at once take different rows), added as jobs whose id is
 * derived from the row's id, and marked relayed in the same transaction. A relay that dies after adding
 * the jobs but before its commit leaves the rows unmarked; the next relay adds the same job ids again,
 * which BullMQ ignores while the first jobs are kept (retention: a day), so no message becomes two jobs.
 */
@Injectable()
export class OutboxRelay {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Settlement) private readonly settlement: Queue<JobPayloads[OutboxTopic]>,
  ) {}

  /** Relays until no unrelayed row is left (or another replica holds the rest); returns how many rows this call relayed. */
  async relay(): Promise<number> {
    let relayed = 0;
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.relayBatch(manager));
      relayed += batch;
      if (batch < this.config.OUTBOX_RELAY_BATCH) return relayed;
    }
  }

  /** Takes one batch of unrelayed rows in `manager`'s transaction, enqueues them and marks them relayed. */
  async relayBatch(manager: EntityManager): Promise<number> {
    const rows: PendingRow[] = await manager.query(
      `SELECT id, topic, payload FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [this.config.OUTBOX_RELAY_BATCH],
    );
    if (rows.length === 0) return 0;
    await this.settlement.addBulk(
      rows.map((row) => ({ name: row.topic, data: row.payload, opts: { jobId: outboxJobId(row.id) } })),
    );
    await manager.query(`UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])`, [
      rows.map((row) => row.id),
    ]);
    return rows.length;
  }
}
