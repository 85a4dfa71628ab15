import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { STATEMENT_TIMEOUT_MS } from '@quan/data';
import { REPO_ROOT } from '@quan/testing';
import { which } from './processes';

const K8S = join(REPO_ROOT, 'deploy', 'k8s');
const OVERLAYS = ['county', 'big-city'];

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
}
interface Container {
  name: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  containers: Container[];
}
interface Workload extends Manifest {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}

/** `kubectl kustomize` (or a standalone `kustomize build`) of one folder, as the documents it prints. */
function render(dir: string): Manifest[] {
  const kubectl = which('kubectl');
  const kustomize = which('kustomize');
  if (!kubectl && !kustomize) throw new Error('rendering the manifests needs kubectl (1.27 or newer) or kustomize');
  const result = kubectl
    ? spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8' })
    : spawnSync(kustomize!, ['build', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kustomize ${dir} failed: ${result.stderr}`);
  return loadAll(result.stdout) as Manifest[];
}

/**
 * Validates one manifest against the Kubernetes schema of its apiVersion and kind, as shipped by the
 * kubernetes-models package (generated from Kubernetes' OpenAPI document); a kind it has no schema for fails.
 */
async function validate(manifest: Manifest): Promise<void> {
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  const modulePath = ['kubernetes-models', group, version, manifest.kind].filter(Boolean).join('/');
  let Model: new (data: Manifest) => { validate(): void };
  try {
    Model = ((await import(modulePath)) as Record<string, typeof Model>)[manifest.kind];
  } catch {
    throw new Error(`no Kubernetes schema for ${manifest.apiVersion} ${manifest.kind}`);
  }
  if (!Model) throw new Error(`no Kubernetes schema for ${manifest.apiVersion} ${manifest.kind}`);
  try {
    new Model(manifest).validate();
  } catch (error) {
    throw new Error(`${manifest.kind}/${manifest.metadata.name}: ${(error as Error).message}`);
  }
}

const find = <T extends Manifest = Manifest>(manifests: Manifest[], kind: string, name: string): T => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not rendered`);
  return found as T;
};
const container = (manifests: Manifest[], name: string): Container =>
  find<Workload>(manifests, 'Deployment', name).spec.template.spec.containers[0];

describe.each(OVERLAYS)('deploy/k8s/overlays/%s', (overlay) => {
  let manifests: Manifest[];

  beforeAll(() => {
    manifests = render(join(K8S, 'overlays', overlay));
  });

  it('renders documents that all validate against the Kubernetes schemas', async () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const manifest of manifests) await validate(manifest);
  });

  it('holds no Secret and no secret value: connections and keys come from Secrets it names', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const secretNames = /URL|SECRET|KEY|PASSWORD|NODES/;
    for (const name of ['quan-api', 'quan-worker']) {
      const c = container(manifests, name);
      expect(c.envFrom).toContainEqual({ secretRef: { name: 'quan-secrets' } });
      for (const variable of c.env ?? []) if (secretNames.test(variable.name)) expect(variable.value).toBeUndefined();
    }
  });

  it('gives the api requests, limits, probes, an HPA on CPU, a PDB, and a drain inside the grace period', () => {
    const api = find<Workload>(manifests, 'Deployment', 'quan-api');
    const c = api.spec.template.spec.containers[0];
    expect(c.resources).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) } });
    expect(c.resources?.limits?.memory).toEqual(expect.any(String));
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready' } });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/health/live' } });
    const [, seconds] = c.lifecycle!.preStop!.exec!.command;
    const config = find(manifests, 'ConfigMap', 'quan-config') as Manifest & { data: Record<string, string> };
    const drainSeconds = Number(seconds) + Number(config.data.SHUTDOWN_GRACE_MS) / 1000;
    expect(api.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds);
    expect(find(manifests, 'HorizontalPodAutoscaler', 'quan-api').spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'quan-api' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu' } }],
    });
    expect(find(manifests, 'PodDisruptionBudget', 'quan-api').spec).toMatchObject({
      selector: { matchLabels: api.spec.template.metadata.labels },
    });
  });

  it('routes /api, /h5, /till and /console to the api and nothing else', () => {
    const ingress = find(manifests, 'Ingress', 'quan') as Manifest & {
      spec: { rules: { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[] };
    };
    const paths = ingress.spec.rules.flatMap((rule) => rule.http.paths);
    expect(paths.map((p) => p.path).sort()).toEqual(['/api', '/console', '/h5', '/till']);
    expect(new Set(paths.map((p) => p.backend.service.name))).toEqual(new Set(['quan-api']));
  });

  it('denies all traffic by default and admits the ingress controller to the api only', () => {
    expect(find(manifests, 'NetworkPolicy', 'quan-default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(find(manifests, 'NetworkPolicy', 'quan-api-from-ingress').spec).toMatchObject({
      podSelector: { matchLabels: { 'app.kubernetes.io/component': 'api' } },
    });
    expect(find(manifests, 'Job', 'quan-migrate')).toBeDefined();
  });
});

describe('the big-city overlay', () => {
  it('runs more api pods through PgBouncer, reads reports from the replica and names the Redis Cluster', () => {
    const manifests = render(join(K8S, 'overlays', 'big-city'));
    const county = render(join(K8S, 'overlays', 'county'));
    const minReplicas = (m: Manifest[]) => find(m, 'HorizontalPodAutoscaler', 'quan-api').spec!.minReplicas as number;
    expect(minReplicas(manifests)).toBeGreaterThan(minReplicas(county));
    expect(find(manifests, 'Deployment', 'quan-pgbouncer')).toBeDefined();
    // Generated with a hash suffix, so that a change of pgbouncer.ini rolls the pods.
    const pgbouncer = manifests.find(
      (m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('quan-pgbouncer-'),
    ) as Manifest & { data: Record<string, string> };
    expect(Object.values(pgbouncer.data)[0]).toMatch(/^pool_mode = transaction$/m);
    expect(Object.values(pgbouncer.data)[0]).toMatch(/^max_prepared_statements = [1-9]/m);
    // The statement timeout PgBouncer sets on its server connections is the api's own.
    expect(Object.values(pgbouncer.data)[0]).toContain(
      `connect_query='SET statement_timeout = ${STATEMENT_TIMEOUT_MS}'`,
    );
    for (const name of ['quan-api', 'quan-worker']) {
      const env = Object.fromEntries((container(manifests, name).env ?? []).map((e) => [e.name, e.valueFrom]));
      expect(env).toMatchObject({
        DATABASE_URL: { secretKeyRef: { name: 'quan-secrets', key: 'DATABASE_POOLER_URL' } },
        DATABASE_READ_URL: { secretKeyRef: { name: 'quan-secrets', key: 'DATABASE_READ_URL' } },
        REDIS_CLUSTER_NODES: { secretKeyRef: { name: 'quan-secrets', key: 'REDIS_CLUSTER_NODES' } },
      });
    }
    // The migration talks to Postgres directly, not through transaction pooling.
    expect(find<Workload>(manifests, 'Job', 'quan-migrate').spec.template.spec.containers[0].env).toBeUndefined();
  });
});

describe('the schema check', () => {
  let deployment: Manifest;

  beforeAll(() => {
    deployment = find(render(join(K8S, 'overlays', 'county')), 'Deployment', 'quan-api');
  });
  const broken = (change: (copy: Workload) => void): Manifest => {
    const copy = structuredClone(deployment) as Workload;
    change(copy);
    return copy;
  };

  it('fails a manifest that breaks the schema', async () => {
    await validate(deployment);
    await expect(
      validate(broken((d) => (d.spec.template.spec.terminationGracePeriodSeconds = '30s' as unknown as number))),
    ).rejects.toThrow(/Deployment\/quan-api: .*terminationGracePeriodSeconds must be integer/);
    await expect(
      validate(
        broken(
          (d) =>
            delete (d.spec.template.spec.containers[0].readinessProbe as { httpGet: { port?: string } }).httpGet.port,
        ),
      ),
    ).rejects.toThrow(/readinessProbe\/httpGet must have required property port/);
  });

  it('fails a kind or apiVersion it has no schema for', async () => {
    await expect(validate({ ...deployment, apiVersion: 'app/v1' })).rejects.toThrow(/no Kubernetes schema for app\/v1/);
  });
});
