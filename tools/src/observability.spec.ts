import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { createTestEnvironment, REPO_ROOT, startCompiledService, StartedService, TestEnvironment } from '@quan/testing';
import { which } from './processes';

const OBSERVABILITY = join(REPO_ROOT, 'deploy', 'observability');
const DASHBOARD = join(OBSERVABILITY, 'grafana', 'dashboards', 'quan.json');
const RULES = join(OBSERVABILITY, 'alerts.yml');

interface Dashboard {
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
}
interface Rule {
  alert: string;
  expr: string;
  annotations: { runbook_url?: string };
}

/** Series Prometheus makes itself rather than reading them from a target. */
const SYNTHETIC = new Set(['up']);
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers left once strings, label matchers, range and
 * grouping lists, Grafana variables and function calls are taken out.
 */
export function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  // An identifier followed by "(" is a function.
  const names = [...bare.matchAll(/(?<![\w.$])([a-zA-Z_:][\w:]*)(\s*\()?/g)].filter((m) => !m[2]).map((m) => m[1]);
  return [...new Set(names.filter((name) => !KEYWORDS.has(name.toLowerCase())))];
}

/** The series names a /metrics page exports: each family, and a histogram's or summary's _bucket, _sum and _count. */
function exportedNames(page: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of page.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') ['_bucket', '_sum', '_count'].forEach((suffix) => names.add(name + suffix));
    if (type === 'summary') ['_sum', '_count'].forEach((suffix) => names.add(name + suffix));
  }
  return names;
}

/** GitHub's anchor of a Markdown heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const rules = (load(readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (group) => group.rules,
);

describe('PromQL metric names', () => {
  it('are read from expressions without labels, functions, ranges or grouping', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{route="/a/:b",x=~"5.."}[$__rate_interval])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNamesOf('max by (campaign) (a_fen) / max by (campaign) (b_fen) > 0.9 or absent(up{job="w"})')).toEqual(
      ['a_fen', 'b_fen', 'up'],
    );
  });
});

describe('the dashboard and the alert rules', () => {
  let env: TestEnvironment;
  let services: StartedService[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment();
    const variables = {
      DATABASE_URL: env.config.DATABASE_URL,
      REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
      LOG_LEVEL: 'warn',
    };
    services = await Promise.all([
      startCompiledService('apps/api/src/main.js', 'PORT', variables),
      startCompiledService('apps/worker/src/main.js', 'WORKER_PORT', variables),
    ]);
  });

  afterAll(async () => {
    for (const service of services) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await env?.dispose();
  });

  it('name only metrics that the api or the worker exports', async () => {
    const exported = new Set<string>(SYNTHETIC);
    for (const service of services) {
      for (const name of exportedNames(await (await fetch(`${service.url}/metrics`)).text())) exported.add(name);
    }
    const expressions = [
      ...dashboard.panels.flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })),
      ),
      ...rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
    ];
    const unknown = expressions.flatMap(({ where, expr }) =>
      metricNamesOf(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    // The figures the operator needs are among them (and the check above had something to check).
    const named = new Set(expressions.flatMap(({ expr }) => metricNamesOf(expr)));
    for (const name of [
      'http_request_duration_seconds_bucket',
      'http_problems_total',
      'quan_dependency_latency_seconds',
      'quan_group_commit_batch_size_bucket',
      'quan_group_commit_wait_seconds_bucket',
      'quan_outbox_lag_seconds',
      'quan_queue_jobs',
      'worker_job_duration_seconds_bucket',
      'worker_jobs_total',
      'quan_settlement_days_behind',
      'quan_reconciliation_differences',
      'quan_campaign_subsidy_used_fen',
      'quan_campaign_budget_fen',
      'quan_counters_fenced_seconds',
      'quan_admission_requests_total',
      'quan_admission_limit',
      'quan_admission_in_flight',
    ]) {
      expect(named).toContain(name);
    }
  });

  it('have a panel for each figure of an opening', () => {
    expect(dashboard.panels.filter((panel) => panel.type !== 'row').map((panel) => panel.title)).toEqual(
      expect.arrayContaining([
        'Claims/s (201)',
        'Refusals by code',
        'p50 per route',
        'p99 per route',
        'Redis and Postgres round trip',
        'Group-commit batch size',
        'Group-commit wait',
        'Outbox lag',
        'Queue depth per queue',
        'Settlement run duration',
        'Settlement runs failed, days behind',
        'Reconciliation differences',
        'Budget used per running campaign',
        'Admission gate: admitted and shed per route',
      ]),
    );
  });

  it('link every alert to a runbook section that exists', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual([
      'QuanAdmissionShedding',
      'QuanApi5xxRate',
      'QuanCampaignBudgetHigh',
      'QuanClaimP99OverTarget',
      'QuanOutboxLag',
      'QuanReconciliationDifference',
      'QuanRedisFenceLasting',
      'QuanSettlementLate',
      'QuanSettlementRunFailed',
      'QuanStaffCredentialStuffing',
      'QuanWorkerDown',
    ]);
    for (const rule of rules) {
      const [file, anchor] = (rule.annotations.runbook_url ?? '').split('#');
      expect(existsSync(join(REPO_ROOT, file))).toBe(true);
      const anchors = [...readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
        anchorOf(m[1]),
      );
      expect(anchors).toContain(anchor);
    }
  });

  it('pass promtool check rules', () => {
    // npm test installs promtool (Debian's prometheus package) and names it in PROMTOOL.
    const promtool = process.env.PROMTOOL ?? which('promtool');
    if (!promtool) throw new Error('promtool is not installed: run through npm test, or apt-get install prometheus');
    const check = spawnSync(promtool, ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toContain('SUCCESS: 11 rules found');
    expect(check.status).toBe(0);
  });
});
