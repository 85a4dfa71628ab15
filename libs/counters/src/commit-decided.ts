/**
 * How the commit of a decision the counters made ended:
 *   committed      Postgres has it (its answer may have been lost on the way)
 *   failed         refused, or failed before it could commit: the decision is to be given back
 *   not-committed  its answer was lost and Postgres does not have it (yet): it may still commit
 *   unknown        its answer was lost and Postgres could not be asked
 */
export type CommitOutcome =
  { outcome: 'committed' } | { outcome: 'failed' | 'not-committed' | 'unknown'; error: unknown };

/**
 * The skeleton of every write decided in Redis first: commit it, and when the commit's answer was lost,
 * ask Postgres whether it has it before anything is given back. The caller gives back (or keeps) the
 * decision by the outcome: what is safe differs between claims and redemptions.
 */
export async function commitDecided(decided: {
  commit: () => Promise<void>;
  /** Whether a failed commit may have committed all the same (its answer was lost). */
  mayHaveCommitted: (error: unknown) => boolean;
  isCommitted: () => Promise<boolean>;
}): Promise<CommitOutcome> {
  try {
    await decided.commit();
    return { outcome: 'committed' };
  } catch (error) {
    if (!decided.mayHaveCommitted(error)) return { outcome: 'failed', error };
    const committed = await decided.isCommitted().catch(() => undefined);
    if (committed) return { outcome: 'committed' };
    return { outcome: committed === false ? 'not-committed' : 'unknown', error };
  }
}
