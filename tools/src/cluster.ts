import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterNode, OwnRedisCluster } from '@quan/testing';
import { runTool } from './run-tool';
import { ROOT, say } from './services';

/** What `cluster:up` started, so `cluster:down` stops exactly that. */
const STATE = join(ROOT, '.data', 'redis-cluster.json');

interface Started {
  dir: string;
  nodes: ClusterNode[];
}

/** Whether `pid` is still the redis-server started on `port` (not a process that took over its pid since). */
function isOurs(node: ClusterNode): boolean {
  try {
    // redis-server retitles itself "redis-server 127.0.0.1:PORT [cluster]".
    const command = readFileSync(`/proc/${node.pid}/cmdline`, 'utf8');
    return command.includes('redis-server') && new RegExp(`[: ]${node.port}\\b`).test(command);
  } catch {
    return false;
  }
}

/**
 * `npm run cluster:up`: a local Redis Cluster (3 masters, a replica each) from redis-server on free ports,
 * under a temporary directory; prints REDIS_CLUSTER_NODES. `npm run cluster:down` stops only the servers
 * that cluster:up recorded, and removes their directory.
 */
runTool(async () => {
  const command = process.argv[3];
  if (command === 'up') {
    if (existsSync(STATE)) throw new Error(`a cluster is up already (${STATE}); npm run cluster:down first`);
    const cluster = await OwnRedisCluster.start({ detached: true, nodeTimeoutMs: 2000 });
    mkdirSync(join(ROOT, '.data'), { recursive: true });
    writeFileSync(STATE, JSON.stringify({ dir: cluster.dir, nodes: cluster.nodes } satisfies Started, null, 2));
    say(`Redis Cluster up: pids ${cluster.nodes.map((node) => node.pid).join(' ')}, files under ${cluster.dir}`);
    process.stdout.write(`REDIS_CLUSTER_NODES=${cluster.seeds}\n`);
    return;
  }
  if (command !== 'down') throw new Error('usage: cluster up|down');
  if (!existsSync(STATE)) {
    say('no cluster recorded by cluster:up');
    return;
  }
  const started = JSON.parse(readFileSync(STATE, 'utf8')) as Started;
  for (const node of started.nodes.filter(isOurs)) process.kill(node.pid, 'SIGKILL');
  rmSync(started.dir, { recursive: true, force: true });
  rmSync(STATE);
  say(`Redis Cluster down: stopped pids ${started.nodes.map((node) => node.pid).join(' ')}`);
});
