import { GroupCommit } from './group-commit';

class Refused extends Error {}

const config = { GROUP_COMMIT_BATCH_MAX: 500, GROUP_COMMIT_CONCURRENCY: 1 };

/** A writer whose statement fails when it holds item 137, the way a unique key fails a whole batch. */
function writer(failsEveryItem: (error: unknown) => boolean, tooLate?: (item: number) => Error | undefined) {
  const statements: { items: number[]; ok: boolean }[] = [];
  const group = new GroupCommit<number>(
    async (items) => {
      const ok = !items.includes(137);
      statements.push({ items, ok });
      if (!ok)
        throw Object.assign(new Error('duplicate key value violates unique constraint "uq_bad"'), {
          constraint: 'uq_bad',
        });
    },
    config,
    { failsEveryItem, refusals: { uq_bad: () => new Refused() }, tooLate },
  );
  return { group, statements };
}

describe('GroupCommit', () => {
  it('commits the items written in one turn as one statement', async () => {
    const { group, statements } = writer(() => false);
    await Promise.all([1, 2, 3].map((n) => group.write(n)));
    expect(statements).toEqual([{ items: [1, 2, 3], ok: true }]);
  });

  it('fails only the item that breaks a constraint, in halves: about 2·log2(n) statements, not n', async () => {
    const { group, statements } = writer(() => false);
    const results = await Promise.allSettled(Array.from({ length: 500 }, (_, n) => group.write(n)));
    const rejected = results.flatMap((result, n) => (result.status === 'rejected' ? [[n, result.reason]] : []));
    expect(rejected).toEqual([[137, expect.any(Refused)]]);
    const committed = statements
      .filter((s) => s.ok)
      .flatMap((s) => s.items)
      .sort((a, b) => a - b);
    expect(committed).toEqual(Array.from({ length: 500 }, (_, n) => n).filter((n) => n !== 137));
    expect(statements.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(500)));
  });

  it('fails every item at once when the error says the database cannot answer', async () => {
    const { group, statements } = writer(() => true);
    const results = await Promise.allSettled(Array.from({ length: 500 }, (_, n) => group.write(n)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(500);
    expect(statements).toHaveLength(1);
  });

  it('fails the items that waited too long without sending them, and still drains', async () => {
    class Late extends Error {}
    const { group, statements } = writer(
      () => false,
      (n) => (n % 2 === 0 ? new Late() : undefined),
    );
    const results = await Promise.allSettled([2, 3, 4, 5].map((n) => group.write(n)));
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : 'committed'))).toEqual([
      expect.any(Late),
      'committed',
      expect.any(Late),
      'committed',
    ]);
    expect(statements).toEqual([{ items: [3, 5], ok: true }]);

    const allLate = [group.write(6), group.write(8)].map((written) => written.catch((error: unknown) => error));
    await expect(group.drained()).resolves.toBeUndefined();
    expect(await Promise.all(allLate)).toEqual([expect.any(Late), expect.any(Late)]);
    expect(statements).toHaveLength(1);
  });

  it('asks again before sending each half of a failed batch', async () => {
    class Late extends Error {}
    // Item 5 is late once the first statement (the whole batch, which fails) was sent.
    let sent: unknown[] = [];
    const { group, statements } = writer(
      () => false,
      (n) => (n === 5 && sent.length > 0 ? new Late() : undefined),
    );
    sent = statements;
    const results = await Promise.allSettled([5, 137, 200].map((n) => group.write(n)));
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : 'committed'))).toEqual([
      expect.any(Late),
      expect.any(Refused),
      'committed',
    ]);
    expect(statements.map((s) => s.items)).toEqual([[5, 137, 200], [137], [200]]);
  });
});
