import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadBudgetPerMinute, loadLimitsOf, loadOverBudget } from './load-budget.js';
import { parseSmokeArguments } from './smoke-arguments.js';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => parse(readFileSync(join(root, path), 'utf8'));

/** The stack file's `aia-platform:services` (the config schema's default edge limit when unset). */
function stackServices(stack: string) {
  const config = read(`Pulumi.${stack}.yaml`).config as Record<string, unknown>;
  const services = (config['aia-platform:services'] ?? {}) as {
    rateLimitPerMinute?: number;
    settings?: Record<string, Record<string, unknown>>;
  };
  return { ...services, rateLimitPerMinute: services.rateLimitPerMinute ?? DEFAULT_EDGE_LIMIT };
}
const DEFAULT_EDGE_LIMIT = 600;

/** The staging job's load check, `npm run smoke -- load ...`, as the smoke tool parses it. */
function workflowLoad() {
  const workflow = read('.github/workflows/release.yml') as {
    jobs: Record<string, { environment?: string; steps: { run?: string }[] }>;
  };
  const job = workflow.jobs.staging;
  const run = job?.steps
    .map((step) => step.run ?? '')
    .find((line) => line.includes('smoke -- load'));
  if (!job || !run) throw new Error('release.yml: no staging job running npm run smoke -- load');
  // An expression (`${{ steps.stack.outputs.gateway_url }}`) stands for a URL here.
  const argv = (run.split('npm run smoke --')[1] ?? '')
    .replace(/"?\$\{\{[^}]*\}\}"?/g, 'https://gateway.example')
    .trim()
    .split(/\s+/);
  return { environment: job.environment, load: parseSmokeArguments(argv, { SMOKE_TOKEN: 't' }) };
}

describe('the load check against the limits it runs into', () => {
  it("release.yml's load check stays under half the staging gateway's and edge's limits", () => {
    const { environment, load } = workflowLoad();
    expect(environment).toBe('staging');
    const limits = loadLimitsOf(stackServices('staging'));
    // Staging: the gateway's default 600 per 60 s per token, Cloud Armor's 1200 a minute per IP.
    expect(limits).toEqual({ gatewayPerMinute: 600, edgePerMinute: 1200 });
    expect(loadOverBudget(load, limits)).toBeUndefined();
    // Long enough to measure: at least 500 requests (the error rate's 2 % is 10 of them).
    expect((load.users * load.durationMs) / load.intervalMs).toBeGreaterThanOrEqual(500);
  });

  it('refuses the load the workflow used to send (50 users a second: 3,000 a minute)', () => {
    const limits = loadLimitsOf(stackServices('staging'));
    expect(loadBudgetPerMinute(limits)).toBe(300);
    expect(loadOverBudget({ users: 50, intervalMs: 1_000 }, limits)).toBe(
      "50 users every 1000 ms send 3000 requests a minute, over 300 (half the lower of the gateway's 600 and the edge's 1200 a minute): the 429s would fail the check",
    );
    expect(loadOverBudget({ users: 6, intervalMs: 1_000 }, limits)).toMatch(/over 300/);
    expect(loadOverBudget({ users: 5, intervalMs: 1_000 }, limits)).toBeUndefined();
  });

  it("reads the gateway's limit from the stack's aia-api settings, and the lower of the two decides", () => {
    const limits = loadLimitsOf({
      rateLimitPerMinute: 400,
      settings: { 'aia-api': { RATE_LIMIT_MAX: '1000', RATE_LIMIT_WINDOW_MS: '30000' } },
    });
    expect(limits).toEqual({ gatewayPerMinute: 2000, edgePerMinute: 400 });
    expect(loadBudgetPerMinute(limits)).toBe(200);
  });
});
