import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';

/** Keys of one redemption decision (see redeem.lua): budget, merchant day, voucher, idempotency record. */
export type RedemptionKeys = readonly [string, string, string, string];

/** What release.lua answers when the counters were rebuilt since the caller checked them (nothing changed). */
export const RELEASE_REBUILT = -1;

/** Who holds a voucher in Redis: the redemption decided for it (see redeem.lua). */
export interface Holder {
  redemptionId: string;
  decidedAtMs: number;
  subsidyFen: number;
  merchantId: string;
  businessDay: string;
  runId: string;
  idempotencyKey: string;
}

export function formatHolder(holder: Holder): string {
  return [holder.redemptionId, holder.decidedAtMs, holder.subsidyFen, holder.merchantId, holder.businessDay, holder.runId, holder.idempotencyKey].join('|');
}

export function parseHolder(value: string): Holder {
  const [redemptionId, decidedAtMs, subsidyFen, merchantId, businessDay, runId, idempotencyKey] = value.split('|');
  return { redemptionId, decidedAtMs: Number(decidedAtMs), subsidyFen: Number(subsidyFen), merchantId, businessDay, runId, idempotencyKey };
}

/** The Lua scripts of the redemption path, loaded from their .lua files and run with EVALSHA. */
export interface RedemptionScripts {
  redeem(keys: RedemptionKeys, runId: string, subsidyFen: number, dailyLimit: number, dailyCapFen: number, holder: string, fingerprint: string, keepVoucherUntilMs: number): Promise<[string, string]>;
  /** A decision that never committed: given back only to the build of the counters that counted it. */
  release(keys: RedemptionKeys, givenBack: string, redemptionId: string): Promise<number>;
  /** A reversed redemption, against the counters' `build` whose snapshot did or did not count it (see release.lua). */
  releaseReversed(keys: RedemptionKeys, givenBack: string, redemptionId: string, build: string, counted: boolean, subsidyFen: number): Promise<number>;
}

const script = (name: string) => readFileSync(join(__dirname, 'lua', `${name}.lua`), 'utf8');

export function defineRedemptionScripts(redis: Redis): RedemptionScripts {
  redis.defineCommand('quanRedeem', { numberOfKeys: 4, lua: script('redeem') });
  redis.defineCommand('quanRelease', { numberOfKeys: 5, lua: script('release') });
  const commands = redis as unknown as {
    quanRedeem(...args: (string | number)[]): Promise<[string, string]>;
    quanRelease(...args: (string | number)[]): Promise<number>;
  };
  return {
    redeem: (keys, ...args) => commands.quanRedeem(...keys, ...args),
    release: (keys, givenBack, redemptionId) => commands.quanRelease(...keys, givenBack, redemptionId, '', '0', 0),
    releaseReversed: (keys, givenBack, redemptionId, build, counted, subsidyFen) =>
      commands.quanRelease(...keys, givenBack, redemptionId, build, counted ? '1' : '0', subsidyFen),
  };
}
