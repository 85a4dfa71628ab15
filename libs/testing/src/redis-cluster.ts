import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { waitUntil } from '@quan/platform';
import { freePort } from './processes';

const run = promisify(execFile);

/** One redis-server of a local cluster. */
export interface ClusterNode {
  port: number;
  pid: number;
}

export interface OwnRedisClusterOptions {
  masters?: number;
  /** Milliseconds without an answer before the other masters fail a master over to its replica. */
  nodeTimeoutMs?: number;
  /** Leave the servers running when this process exits (npm run cluster:up). */
  detached?: boolean;
}

/** Runs `use` on a connection of its own to the node on `port`. */
async function onNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** CLUSTER NODES of one node, parsed: address, role and state of each node. */
async function clusterNodes(port: number): Promise<{ port: number; master: boolean; failed: boolean }[]> {
  const text = await onNode(port, async (redis) => (await redis.call('CLUSTER', 'NODES')) as string);
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [, address, flags] = line.split(' ');
      return {
        port: Number(address.split('@')[0].split(':')[1]),
        master: flags.split(',').includes('master'),
        failed: /fail/.test(flags),
      };
    });
}

/**
 * A Redis Cluster of its own on free local ports: `masters` masters with one replica each, AOF on (fsync every
 * second), under a temporary directory, so a test or a benchmark can kill -9 a master without touching any
 * other Redis. Each node's cluster bus has a free port of its own too.
 */
export class OwnRedisCluster {
  private constructor(
    readonly dir: string,
    readonly nodes: ClusterNode[],
  ) {}

  static async start(options: OwnRedisClusterOptions = {}): Promise<OwnRedisCluster> {
    const { masters = 3, nodeTimeoutMs = 1000, detached = false } = options;
    const dir = mkdtempSync(join(tmpdir(), 'quan-redis-cluster-'));
    const nodes: ClusterNode[] = [];
    const cluster = new OwnRedisCluster(dir, nodes);
    try {
      for (let i = 0; i < masters * 2; i += 1) {
        const [port, busPort] = [await freePort(), await freePort()];
        const nodeDir = join(dir, String(port));
        mkdirSync(nodeDir);
        const child = spawn(
          'redis-server',
          [
            ...['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1'],
            ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
            ...['--cluster-node-timeout', String(nodeTimeoutMs), '--dir', nodeDir],
            ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
          ],
          { stdio: 'ignore', detached },
        );
        if (detached) child.unref();
        nodes.push({ port, pid: child.pid! });
      }
      for (const node of nodes) {
        await waitUntil(
          `redis-server on ${node.port}`,
          async () => (await clusterNodes(node.port).catch(() => [])).length > 0,
          10000,
        );
      }
      await run('redis-cli', [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ]);
      await cluster.waitHealthy();
      return cluster;
    } catch (error) {
      cluster.stop();
      throw error;
    }
  }

  /** The seed nodes as REDIS_CLUSTER_NODES names them. */
  get seeds(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  /** Every live node agrees on a cluster in state ok with `masters` masters serving the slots. */
  async waitHealthy(timeoutMs = 20000): Promise<void> {
    await waitUntil(
      'the local Redis Cluster in state ok',
      async () => {
        for (const node of this.live()) {
          const info = await onNode(node.port, async (redis) => (await redis.call('CLUSTER', 'INFO')) as string).catch(
            () => '',
          );
          if (!/cluster_state:ok/.test(info)) return false;
        }
        return true;
      },
      timeoutMs,
      100,
    );
  }

  /** The port of the live node whose run id is `run`. */
  async masterWithRun(run: string): Promise<number> {
    for (const node of this.live()) {
      const info = await onNode(node.port, (redis) => redis.info('server'));
      if (info.includes(`run_id:${run}`)) return node.port;
    }
    throw new Error(`no live node has run id ${run}`);
  }

  /** The port of the master serving `key`'s slot now. */
  async masterOf(key: string): Promise<number> {
    return onNode(this.live()[0].port, async (redis) => {
      const slot = (await redis.call('CLUSTER', 'KEYSLOT', key)) as number;
      const ranges = (await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const range = ranges.find(([first, last]) => slot >= first && slot <= last);
      if (!range) throw new Error(`no master serves slot ${slot}`);
      return range[2][1];
    });
  }

  /** kill -9 of one node: no chance to flush or hand over. */
  kill(port: number): void {
    const node = this.nodes.find((candidate) => candidate.port === port)!;
    process.kill(node.pid, 'SIGKILL');
    node.pid = 0;
  }

  /** Stops every server it started and removes their files. */
  stop(): void {
    for (const node of this.live()) {
      try {
        process.kill(node.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      node.pid = 0;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private live(): ClusterNode[] {
    return this.nodes.filter((node) => node.pid !== 0);
  }
}
