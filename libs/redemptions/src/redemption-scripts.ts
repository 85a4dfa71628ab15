import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';

/** Keys of one redemption decision (see redeem.lua): budget, merchant day, voucher, idempotency record. */
export type RedemptionKeys = readonly [string, string, string, string];

/** The Lua scripts of the redemption path, loaded from their .lua files and run with EVALSHA. */
export interface RedemptionScripts {
  redeem(keys: RedemptionKeys, runId: string, subsidyFen: number, dailyLimit: number, dailyCapFen: number, redemptionId: string, fingerprint: string, keepVoucherUntilMs: number): Promise<[string, string]>;
  unredeem(keys: RedemptionKeys, runId: string, subsidyFen: number, redemptionId: string, dropIdempotency: 0 | 1): Promise<number>;
}

const script = (name: string) => readFileSync(join(__dirname, 'lua', `${name}.lua`), 'utf8');

export function defineRedemptionScripts(redis: Redis): RedemptionScripts {
  redis.defineCommand('quanRedeem', { numberOfKeys: 4, lua: script('redeem') });
  redis.defineCommand('quanUnredeem', { numberOfKeys: 4, lua: script('unredeem') });
  const commands = redis as unknown as {
    quanRedeem(...args: (string | number)[]): Promise<[string, string]>;
    quanUnredeem(...args: (string | number)[]): Promise<number>;
  };
  return {
    redeem: (keys, ...args) => commands.quanRedeem(...keys, ...args),
    unredeem: (keys, ...args) => commands.quanUnredeem(...keys, ...args),
  };
}
