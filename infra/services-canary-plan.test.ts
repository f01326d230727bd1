import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, repositoryRoot } from '../test/harness/plan-queries.js';
import { runPlan } from '../tools/plan/run-plan.js';
import { redactSecrets } from '../tools/plan/secrets.js';
import { checkPlan, type PolicyVerdict } from '../tools/policy-check/check.js';

let dir = '';
let q: ReturnType<typeof queries>;
let verdict: PolicyVerdict;

/** Production (blue live) in the middle of a canary, as `ops canary` leaves it at its first step. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'canary-plan-'));
  const production = await readFile(join(repositoryRoot, 'Pulumi.production.yaml'), 'utf8');
  const stackFile = join(dir, 'Pulumi.production.yaml');
  await writeFile(
    stackFile,
    production.replace(
      '  aia-platform:services:\n',
      '  aia-platform:services:\n    canary:\n      percent: 10\n',
    ),
  );
  // One plan per test file: the plan's mocks are process-wide.
  const plan = await runPlan({ root: repositoryRoot, stack: 'production', stackFile });
  q = queries(plan);
  verdict = await checkPlan(
    'production',
    plan.resources.map((r) => ({
      ...r,
      inputs: redactSecrets(r.inputs) as Record<string, unknown>,
    })),
  );
}, 240_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const named = (type: string, name: string) =>
  q
    .ofType(type)
    .map(q.inputsOf)
    .find((inputs) => inputs.metadata.name === name);

describe('the production plan during a 10 % canary of aia-api', () => {
  it('routes the stable Service to both colours and holds green at 2 pods of 20', () => {
    const selector = named('kubernetes:core/v1:Service', 'aia-api')?.spec.selector;
    expect(selector).toMatchObject({ 'app.kubernetes.io/name': 'aia-api' });
    expect(selector).not.toHaveProperty('aia-platform.dev/color');
    const hpa = (name: string) =>
      named('kubernetes:autoscaling/v2:HorizontalPodAutoscaler', name)?.spec;
    expect(hpa('aia-api-green')).toMatchObject({ minReplicas: 2, maxReplicas: 2 });
    expect(hpa('aia-api-blue')).toMatchObject({ minReplicas: 18, maxReplicas: 18 });
    // The other services are not part of the canary.
    expect(hpa('economic-governor')).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
  });

  it('passes the policy pack: HPA floors, quotas and all', () => {
    expect(verdict.violations).toEqual([]);
    expect(verdict.policies).toBeGreaterThan(30);
  });
});
