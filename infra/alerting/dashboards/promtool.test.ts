import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { STACKS, serviceNames } from '../../../services/catalog.js';
import { AGENT_PANELS, agentsDashboard } from './agents.js';
import { type Dashboard, dashboardExpressions } from './dashboard.js';
import { OVERVIEW_PANELS, platformOverviewDashboard } from './platform-overview.js';
import { SERVICE_PANELS, serviceDashboard } from './service-dashboard.js';
import { TOKEN_PANELS, tokenEconomyDashboard } from './token-economy.js';

const run = promisify(execFile);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dashboards-promtool-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs promtool on a file holding `document`; resolves to its output, rejects with it. */
async function promtool(command: string, file: string, document: unknown): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, stringify(document));
  try {
    const { stdout, stderr } = await run('promtool', [...command.split(' '), path]);
    return stdout + stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${command} failed:\n${stdout}${stderr}`);
  }
}

const exprOf = (board: Dashboard, title: string, refId = 'A'): string => {
  const found = board.panels.find((p) => p.title === title)?.targets.find((t) => t.refId === refId);
  if (!found) throw new Error(`${board.uid} has no query ${refId} in '${title}'`);
  return found.expr;
};

describe('dashboard queries under promtool', () => {
  it('all parse as PromQL', async () => {
    const exprs = STACKS.flatMap((stack) => [
      ...serviceNames.map((service) => serviceDashboard(service, stack)),
      platformOverviewDashboard(stack),
      tokenEconomyDashboard(stack),
      agentsDashboard(stack),
    ]).flatMap(dashboardExpressions);
    const rules = [...new Set(exprs)].map((expr, i) => ({ record: `dashboard:query_${i}`, expr }));
    expect(rules.length).toBeGreaterThan(20);
    const output = await promtool('check rules', 'queries.yaml', {
      groups: [{ name: 'dashboard-queries', rules }],
    });
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('compute rates, ratios, quantiles, saturation and budget as their panels say', async () => {
    const api = serviceDashboard('aia-api', 'production');
    const dkg = serviceDashboard('dkg-manager', 'production');
    const overview = platformOverviewDashboard('production');
    const tokens = tokenEconomyDashboard('production');
    const agents = agentsDashboard('production');
    const pod = 'aia-api-blue-7d9f8c-x2k4q';
    const http = (service: string, status: string) =>
      `http_requests_total{service="${service}", route="/v1/things", method="GET", status="${status}"}`;
    const bucket = (le: string) =>
      `http_request_duration_seconds_bucket{service="aia-api", route="/v1/things", method="GET", status="200", le="${le}"}`;
    const container = (name: string, podName = pod) =>
      `{namespace="aia", pod="${podName}", container="${name}"}`;
    const limit = (resource: string) =>
      `kube_pod_container_resource_limits{namespace="aia", pod="${pod}", container="aia-api", resource="${resource}"}`;
    const tokenTx = (ledger: string, result: string) =>
      `token_transactions_total{service="economic-governor", ledger="${ledger}", result="${result}"}`;
    const series: Record<string, string> = {
      // aia-api: 1 request in 2000 fails, half of the 0.001 budget.
      [http('aia-api', '200')]: '0+1999x10',
      [http('aia-api', '503')]: '0+1x10',
      // dkg-manager never failed: it has no 5xx series at all.
      [http('dkg-manager', '200')]: '0+100x10',
      [bucket('0.1')]: '0+0x10',
      [bucket('0.25')]: '0+1000x10',
      [bucket('0.5')]: '0+2000x10',
      [bucket('+Inf')]: '0+2000x10',
      // Half a core and 1 GiB against 4 cores and 8 GiB; the pod cgroup and the migration Job's
      // container must not count.
      [`container_cpu_usage_seconds_total${container('aia-api')}`]: '0+30x10',
      [`container_cpu_usage_seconds_total${container('')}`]: '0+60x10',
      [`container_cpu_usage_seconds_total${container('migrate', 'aia-api-migrate-5hx2p')}`]:
        '0+600x10',
      [limit('cpu')]: '4x10',
      [`container_memory_working_set_bytes${container('aia-api')}`]: `${2 ** 30}x10`,
      [limit('memory')]: `${8 * 2 ** 30}x10`,
      [tokenTx('AIA', 'committed')]: '0+97x10',
      [tokenTx('AIA', 'rejected')]: '0+2x10',
      [tokenTx('AIA', 'failed')]: '0+1x10',
      [tokenTx('AIA_GOV', 'committed')]: '0+50x10',
      'agent_runs_total{service="agent-orchestrator", outcome="succeeded"}': '0+9x10',
      'agent_runs_total{service="agent-orchestrator", outcome="failed"}': '0+1x10',
    };
    const checks: [string, Record<string, number>][] = [
      [exprOf(api, SERVICE_PANELS.errors), { '{}': 0.05 }],
      [exprOf(dkg, SERVICE_PANELS.errors), { '{}': 0 }],
      [exprOf(api, SERVICE_PANELS.availability), { '{}': 0.9995 }],
      [exprOf(api, SERVICE_PANELS.errorBudget), { '{}': 0.5 }],
      [exprOf(dkg, SERVICE_PANELS.errorBudget), { '{}': 1 }],
      [exprOf(api, SERVICE_PANELS.latency, 'A'), { '{}': 0.25 }],
      [exprOf(api, SERVICE_PANELS.latency, 'B'), { '{}': 0.475 }],
      [exprOf(api, SERVICE_PANELS.latency, 'C'), { '{}': 0.495 }],
      [exprOf(api, SERVICE_PANELS.cpu), { [`{pod="${pod}"}`]: 12.5 }],
      [exprOf(api, SERVICE_PANELS.memory), { [`{pod="${pod}"}`]: 12.5 }],
      [
        exprOf(overview, OVERVIEW_PANELS.services, 'A'),
        { '{service="aia-api"}': 0.9995, '{service="dkg-manager"}': 1 },
      ],
      [
        exprOf(overview, OVERVIEW_PANELS.errors),
        { '{service="aia-api"}': 0.05, '{service="dkg-manager"}': 0 },
      ],
      [exprOf(tokens, TOKEN_PANELS.failures, 'A'), { '{}': 100 / 150 }],
      [
        exprOf(tokens, TOKEN_PANELS.failures, 'B'),
        { '{ledger="AIA"}': 1, '{ledger="AIA_GOV"}': 0 },
      ],
      [exprOf(agents, AGENT_PANELS.failures), { '{}': 10 }],
    ];
    // promtool 2.42 compares floats exactly, so each check asks, per expected value, which series
    // lie within 1e-9 of it (1) and which do not (0).
    const near = (a: number, b: number) => (Math.abs(a - b) < 1e-9 ? 1 : 0);
    const promqlExprTest = checks.flatMap(([expr, expected]) =>
      Object.values(expected).map((value) => ({
        expr: `abs((${expr}) - ${value}) < bool 1e-9`,
        eval_time: '10m',
        exp_samples: Object.entries(expected).map(([labels, other]) => ({
          labels,
          value: near(other, value),
        })),
      })),
    );
    const output = await promtool('test rules', 'queries-test.yaml', {
      rule_files: [],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: Object.entries(series).map(([s, values]) => ({ series: s, values })),
          promql_expr_test: promqlExprTest,
        },
      ],
    });
    expect(output).toContain('SUCCESS');
  });
});
