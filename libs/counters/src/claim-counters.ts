import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';

/** The Lua scripts of the claim path, loaded from their .lua files and run with EVALSHA. */
export interface ClaimScripts {
  claim(round: string, person: string, idempotency: string, now: number, offerId: string, roundId: string, runId: string, pendingSeconds: number, fingerprint: string, day: string, ...categories: string[]): Promise<[string, string, string?]>;
  unclaim(round: string, person: string, idempotency: string, offerId: string, roundId: string, runId: string, reason: string, day: string, ...categories: string[]): Promise<number>;
}

const script = (name: string) => readFileSync(join(__dirname, 'lua', `${name}.lua`), 'utf8');

export function defineClaimScripts(redis: Redis): ClaimScripts {
  redis.defineCommand('quanClaim', { numberOfKeys: 3, lua: script('claim') });
  redis.defineCommand('quanUnclaim', { numberOfKeys: 3, lua: script('unclaim') });
  const commands = redis as unknown as {
    quanClaim: ClaimScripts['claim'];
    quanUnclaim: ClaimScripts['unclaim'];
  };
  return {
    claim: (...args) => commands.quanClaim(...args),
    unclaim: (...args) => commands.quanUnclaim(...args),
  };
}
