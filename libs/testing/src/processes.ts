import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitUntil } from '@quan/platform';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface StartedProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a compiled entry point (dist/…, built by `npm test`) with the @quan/* aliases registered. */
export function startCompiled(entry: string, env: NodeJS.ProcessEnv): StartedProcess {
  const child = spawn(
    process.execPath,
    ['-r', join(REPO_ROOT, 'tools/register-paths.cjs'), join(REPO_ROOT, 'dist', entry)],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** A compiled api or worker that answered /health/ready, and its base URL (http://127.0.0.1:PORT). */
export interface StartedService extends StartedProcess {
  url: string;
}

/**
 * Starts a compiled api (`PORT`) or worker (`WORKER_PORT`) on a free port and waits until /health/ready
 * answers 200, asking every `pollMs`; one that never gets ready is killed, so a failing test leaves nothing
 * running.
 */
export async function startCompiledService(
  entry: string,
  portVariable: 'PORT' | 'WORKER_PORT',
  env: NodeJS.ProcessEnv,
  pollMs = 100,
): Promise<StartedService> {
  const port = await freePort();
  const started = startCompiled(entry, { ...env, [portVariable]: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(`${entry} being ready`, async () => (await fetch(`${url}/health/ready`)).ok, 30000, pollMs);
  } catch (error) {
    started.child.kill('SIGKILL');
    throw error;
  }
  return { ...started, url };
}
