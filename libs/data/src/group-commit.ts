import { AppConfig } from '@quan/config';

export interface GroupCommitOptions<T> {
  /** Errors after which retrying the batch in smaller parts is pointless (e.g. the database is down). */
  failsEveryItem: (error: unknown) => boolean;
  /** The error an item fails with when Postgres refused it by the named constraint (others pass as they are). */
  refusals: Readonly<Record<string, () => Error>>;
  /**
   * The error an item fails with, without being sent, when it has waited too long to be committed at all;
   * asked before every statement, including the retries of a failed batch's halves.
   */
  tooLate?: (item: T) => Error | undefined;
  /** Told of each batch sent: its items and how long the oldest waited (seconds); once per batch, not per item. */
  observe?: (size: number, waitSeconds: number) => void;
}

interface Pending<T> {
  item: T;
  /** performance.now() when it was written. */
  at: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items that arrive in the same turn of the event loop wait briefly and are committed
 * together, so durability costs one round trip and one fsync per batch instead of one per item. An
 * item's promise settles only after its batch committed (or failed). A batch that fails as a whole is
 * retried in halves (see commitBatch), so one item that breaks a constraint fails alone with its own error.
 */
export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void) | undefined;

  private readonly batchMax: number;
  private readonly concurrency: number;

  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    config: Pick<AppConfig, 'GROUP_COMMIT_BATCH_MAX' | 'GROUP_COMMIT_CONCURRENCY'>,
    private readonly options: GroupCommitOptions<T>,
  ) {
    this.batchMax = config.GROUP_COMMIT_BATCH_MAX;
    this.concurrency = config.GROUP_COMMIT_CONCURRENCY;
  }

  /** Settles once the item's batch committed; rejects with the item's refusal, or the error of its commit. */
  write(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, at: performance.now(), resolve, reject: (error) => reject(this.refusalOf(error)) });
      this.schedule();
    });
  }

  private refusalOf(error: unknown): unknown {
    const constraint = (error as { constraint?: string }).constraint;
    const refusal = constraint ? this.options.refusals[constraint] : undefined;
    return refusal ? refusal() : error;
  }

  /** Resolves once every item written so far is committed or failed (for shutdown). */
  async drained(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      this.idle = resolve;
      this.drain();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.concurrency) {
      const batch = this.queue.splice(0, this.batchMax);
      this.options.observe?.(batch.length, (performance.now() - batch[0].at) / 1000);
      this.inFlight += 1;
      void this.commitBatch(batch).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.schedule();
        else if (this.inFlight === 0) this.idle?.();
      });
    }
  }

  /**
   * A batch that fails is split in halves, each committed (and split) again, until the items that break a
   * constraint are alone: one bad item among n costs about 2·log2(n) statements, not n, so a client that
   * can make its own item fail cannot make every batch go through Postgres one item at a time.
   */
  private async commitBatch(queued: Pending<T>[]): Promise<void> {
    const batch = queued.filter((pending) => {
      const late = this.options.tooLate?.(pending.item);
      if (late) pending.reject(late);
      return !late;
    });
    if (batch.length === 0) return;
    try {
      await this.commit(batch.map((p) => p.item));
      batch.forEach((p) => p.resolve());
    } catch (error) {
      if (batch.length === 1 || this.options.failsEveryItem(error)) {
        batch.forEach((p) => p.reject(error));
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.commitBatch(batch.slice(0, half));
      await this.commitBatch(batch.slice(half));
    }
  }
}
