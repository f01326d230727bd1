import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../test/harness/plan-queries.js';
import { type Plan, runPlan } from '../tools/plan/run-plan.js';
import { unwrapSecrets } from '../tools/plan/secrets.js';
import { writeAlertingFiles } from '../tools/plan/write-alerting.js';
import type { AlertingNamespaces } from './alerting/namespaces.js';

/** The staging stack with its services in another namespace than the default `aia`. */
const NAMESPACE = 'aia-next';

let dir = '';
let plan: Plan;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'services-namespace-'));
  const staging = await readFile(join(repositoryRoot, 'Pulumi.staging.yaml'), 'utf8');
  const stackFile = join(dir, 'Pulumi.staging.yaml');
  await writeFile(
    stackFile,
    staging.replace(
      '  aia-platform:services:\n',
      `  aia-platform:services:\n    namespace: ${NAMESPACE}\n`,
    ),
  );
  plan = await runPlan({ root: repositoryRoot, stack: 'staging', stackFile });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON
const inputsOf = (type: string): any[] =>
  plan.resources.filter((r) => r.type === type).map((r) => unwrapSecrets(r.inputs));

/** Every `namespace="..."` a text selects. */
const selectedNamespaces = (text: string) =>
  new Set([...text.matchAll(/namespace=\\?"([^"\\]+)\\?"/g)].map((match) => match[1]));

describe('a stack whose services run in a namespace of its own', () => {
  it('deploys the services there', () => {
    const deployments = inputsOf('kubernetes:apps/v1:Deployment').filter((d) =>
      d.metadata.name.startsWith('economic-governor'),
    );
    expect(deployments.map((d) => d.metadata.namespace)).toEqual([NAMESPACE]);
    expect(plan.outputs.namespaces).toMatchObject({ services: NAMESPACE, kafka: 'kafka' });
  });

  it('has the PrometheusRules select its series there, never in the default namespace', () => {
    const rules = JSON.stringify(
      inputsOf('kubernetes:monitoring.coreos.com/v1:PrometheusRule').map((r) => r.spec),
    );
    const namespaces = selectedNamespaces(rules);
    expect(namespaces).toContain(NAMESPACE);
    expect(namespaces).not.toContain('aia');
    expect([...namespaces].sort()).toEqual(['aia-next', 'data', 'kafka']);
  });

  it('has the dashboards select its pods there', () => {
    // Each ConfigMap holds its dashboard as JSON text: queries appear with escaped quotes.
    const dashboards = inputsOf('kubernetes:core/v1:ConfigMap')
      .filter((map) => map.metadata.labels?.grafana_dashboard === '1')
      .flatMap((map) => Object.values(map.data as Record<string, string>))
      .join('\n');
    expect([...selectedNamespaces(dashboards)]).toEqual([NAMESPACE]);
  });

  it('writes promtool files for that namespace from the plan', async () => {
    const written = await writeAlertingFiles(
      join(dir, 'out'),
      'staging',
      plan.resources,
      plan.outputs.namespaces as AlertingNamespaces,
    );
    const [rules, tests] = await Promise.all(
      ['rules.yaml', 'tests.yaml'].map((file) =>
        readFile(join(dir, 'out', 'prometheus', file), 'utf8'),
      ),
    );
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(selectedNamespaces(rules ?? '')).not.toContain('aia');
    expect(tests).toContain(`namespace="${NAMESPACE}"`);
  });
});
