import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RedisClient } from '@quan/data';

/**
 * The counters' Lua scripts (src/lua, copied next to the compiled code by tools/copy-assets.cjs), by file name,
 * each one after prelude.lua.
 */
const SCRIPTS = {
  claim: 3,
  unclaim: 3,
  redeem: 4,
  release: 5,
  'release-lock': 1,
  'renew-lock': 1,
  // Its number of keys varies: the caller passes it first.
  'write-if-held': undefined,
  'settle-person': 1,
  whoami: 1,
  register: 2,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
export type RunScript = (...args: (string | number)[]) => Promise<unknown>;
export type CounterScripts = Record<ScriptName, RunScript>;

const commandOf = (name: string) =>
  `quan${name.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase())}`;
const source = (name: string) => readFileSync(join(__dirname, 'lua', `${name}.lua`), 'utf8');
const prelude = source('prelude');
const sources = new Map(Object.keys(SCRIPTS).map((name) => [name, `${prelude}\n${source(name)}`]));
const defined = new WeakMap<RedisClient, CounterScripts>();

/** The scripts as commands of `redis` (run with EVALSHA, loaded on first use), defined once per client. */
export function counterScripts(redis: RedisClient): CounterScripts {
  let scripts = defined.get(redis);
  if (!scripts) {
    const commands = redis as unknown as Record<string, RunScript>;
    const entries = Object.entries(SCRIPTS).map(([name, numberOfKeys]): [string, RunScript] => {
      const command = commandOf(name);
      redis.defineCommand(command, {
        lua: sources.get(name)!,
        ...(numberOfKeys === undefined ? {} : { numberOfKeys }),
      });
      return [name, (...args) => commands[command](...args)];
    });
    scripts = Object.fromEntries(entries) as CounterScripts;
    defined.set(redis, scripts);
  }
  return scripts;
}
