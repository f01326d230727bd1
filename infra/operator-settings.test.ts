import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, repositoryRoot } from '../test/harness/plan-queries.js';
import { type Plan, runPlan } from '../tools/plan/run-plan.js';
import { operatorVariables } from './operator-settings.js';

/** Staging with one flag turned off and two tracker tunables, as an operator would set them. */
const OPERATOR_CONFIG = `    featureFlags:
      GOVERNANCE_ENABLED: false
      STRUCTURED_REPORTS_ENABLED: true
    settings:
      performance-tracker:
        EPOCH_REWARD_BUDGET_AIA: "250"
        EPOCH_CAP_SHARE: 0.2
`;

let dir = '';
let changed: ReturnType<typeof queries>;

/** The staging plan with `services` extended by `extra` (indented under aia-platform:services). */
async function planWith(extra: string): Promise<Plan> {
  const staging = await readFile(join(repositoryRoot, 'Pulumi.staging.yaml'), 'utf8');
  const stackFile = join(dir, `Pulumi.staging.yaml`);
  await writeFile(
    stackFile,
    staging.replace('  aia-platform:services:\n', `  aia-platform:services:\n${extra}`),
  );
  return runPlan({ root: repositoryRoot, stack: 'staging', stackFile });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'operator-settings-'));
  // One plan per test file: the plan's mocks are process-wide.
  changed = queries(await planWith(OPERATOR_CONFIG));
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const podAnnotations = (q: ReturnType<typeof queries>, deployment: string) =>
  q
    .ofType('kubernetes:apps/v1:Deployment')
    .map(q.inputsOf)
    .find((inputs) => inputs.metadata.name === deployment)?.spec.template.metadata.annotations as
    | Record<string, string>
    | undefined;

describe('feature flags and tunables per stack (services.featureFlags, services.settings)', () => {
  it('gives each flag only to the services that declare it, and each tunable to its service', () => {
    expect(changed.environmentOf('economic-governor').config.GOVERNANCE_ENABLED).toBe('false');
    expect(changed.environmentOf('aia-api').config.STRUCTURED_REPORTS_ENABLED).toBe('true');
    expect(changed.environmentOf('venture-discovery').config.STRUCTURED_REPORTS_ENABLED).toBe(
      'true',
    );
    expect(changed.environmentOf('dkg-manager').config).not.toHaveProperty('GOVERNANCE_ENABLED');
    expect(changed.environmentOf('performance-tracker').config).toMatchObject({
      EPOCH_REWARD_BUDGET_AIA: '250',
      EPOCH_CAP_SHARE: '0.2',
    });
    // Unset, a service keeps its own default: nothing rendered.
    expect(changed.environmentOf('economic-governor').config).not.toHaveProperty(
      'VENTURE_DISCOVERY_ENABLED',
    );
  });

  it('rolls the pods when their environment changes: each pod carries the digest of its env ConfigMap', () => {
    const digestOf = (data: Record<string, string>) =>
      createHash('sha256')
        .update(JSON.stringify(Object.entries(data).sort(([a], [b]) => a.localeCompare(b))))
        .digest('hex');
    const deployments = [
      'economic-governor',
      'performance-tracker',
      'aia-api-blue',
      'aia-api-green',
    ];
    for (const deployment of deployments) {
      const service = deployment.replace(/-(blue|green)$/, '');
      const annotations = podAnnotations(changed, deployment);
      expect(annotations?.['aia-platform.dev/checksum-env'], deployment).toBe(
        digestOf(changed.environmentOf(service).config),
      );
      // The Secret's digest rolls them on a rotated key too (kept secret in the state).
      expect(annotations, deployment).toHaveProperty('aia-platform.dev/checksum-env-secrets');
    }
  });
});

describe('operatorVariables', () => {
  const none = { featureFlags: {}, settings: {} };
  it('refuses a setting the schema lacks, a secret, or one the program sets, naming each', () => {
    const settings = {
      'performance-tracker': { NOT_A_VARIABLE: 1, DATABASE_NAME: 'x' },
      'economic-governor': { TREASURY_PRIVATE_KEY: 'k' },
    };
    expect(() =>
      operatorVariables('performance-tracker', { ...none, settings }, new Set(['DATABASE_NAME'])),
    ).toThrow(
      "services.settings.performance-tracker.NOT_A_VARIABLE: not a variable of performance-tracker's env schema; services.settings.performance-tracker.DATABASE_NAME: set by the program",
    );
    expect(() => operatorVariables('economic-governor', { ...none, settings }, new Set())).toThrow(
      'services.settings.economic-governor.TREASURY_PRIVATE_KEY: a secret; set it in secret config',
    );
  });
});
