import { ChildProcess, spawn, SpawnOptions, spawnSync } from 'node:child_process';

/** Children started by a tool; all of them are stopped when the tool stops (Ctrl-C included). */
const children = new Set<ChildProcess>();

export function startChild(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Sends SIGTERM to every child still running and waits for each to exit (SIGKILL after `graceMs`). */
export async function stopChildren(graceMs = 10000): Promise<void> {
  await Promise.all(
    [...children].reverse().map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Runs a command to completion, returning its exit code (output goes to the terminal). */
export function runToEnd(command: string, args: string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = startChild(command, args, options);
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** The full path of an executable on PATH, or undefined. */
export function which(command: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : undefined;
}

/**
 * The Node options the api runs with, here and in its image (deploy/Dockerfile): a 32 MB semi-space for
 * V8's young generation instead of 16 MB, so a claim surge's short-lived objects are scavenged half as
 * often, which saves api CPU per claim (docs/decisions/2026-11-27-larger-young-generation-for-the-api.md).
 * Added to any NODE_OPTIONS given.
 */
export const API_NODE_OPTIONS = '--max-semi-space-size=32';

export function withApiNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: [env.NODE_OPTIONS, API_NODE_OPTIONS].filter(Boolean).join(' ') };
}
