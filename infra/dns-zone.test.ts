import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../test/harness/plan-queries.js';
import { runPlan } from '../tools/plan/run-plan.js';
import { unwrapSecrets } from '../tools/plan/secrets.js';

let root: string | undefined;
afterAll(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

describe('a stack whose DNS zone is in Cloud DNS (aia-platform:dnsZone)', () => {
  it('enables Cloud DNS and points the API and Grafana names at their load balancers', async () => {
    root = await mkdtemp(join(tmpdir(), 'dns-stack-'));
    await copyFile(join(repositoryRoot, 'Pulumi.yaml'), join(root, 'Pulumi.yaml'));
    const staging = await readFile(join(repositoryRoot, 'Pulumi.staging.yaml'), 'utf8');
    await writeFile(
      join(root, 'Pulumi.staging.yaml'),
      staging.replace('config:\n', 'config:\n  aia-platform:dnsZone: aia-platform-dev\n'),
    );
    const plan = await runPlan({
      root,
      stack: 'staging',
      program: join(repositoryRoot, 'infra/index.ts'),
    });
    const inputs = (type: string) =>
      plan.resources
        .filter((resource) => resource.type === type)
        .map((resource) => unwrapSecrets(resource.inputs) as Record<string, unknown>);
    expect(inputs('gcp:projects/service:Service').map(({ service }) => service)).toContain(
      'dns.googleapis.com',
    );
    // The VPC's private googleapis.com zone has records of its own (Private Google Access).
    const records = inputs('gcp:dns/recordSet:RecordSet')
      .filter((record) => record.managedZone === 'aia-platform-dev')
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(records).toEqual([
      expect.objectContaining({
        managedZone: 'aia-platform-dev',
        name: 'api.staging.aia-platform.dev.',
        type: 'A',
        rrdatas: [(plan.outputs.edge as { apiAddress: string }).apiAddress],
      }),
      expect.objectContaining({
        managedZone: 'aia-platform-dev',
        name: 'grafana.staging.aia-platform.dev.',
        type: 'A',
      }),
    ]);
  });
});
