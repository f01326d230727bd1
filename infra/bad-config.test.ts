import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../test/harness/plan-queries.js';
import { runPlan } from '../tools/plan/run-plan.js';

let root: string | undefined;
afterAll(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

describe('a stack with a bad configuration', () => {
  it('fails before creating anything, naming each bad key and what it expects', async () => {
    root = await mkdtemp(join(tmpdir(), 'bad-stack-'));
    await copyFile(join(repositoryRoot, 'Pulumi.yaml'), join(root, 'Pulumi.yaml'));
    const staging = await readFile(join(repositoryRoot, 'Pulumi.staging.yaml'), 'utf8');
    await writeFile(
      join(root, 'Pulumi.staging.yaml'),
      staging
        .replace('  aia-platform:domain: api.staging.aia-platform.dev\n', '')
        .replace('      nodes: 10.10.0.0/20', '      anyone: 0.0.0.0/0')
        .replace('imageTag: 0.1.0', 'imageTag: latest'),
    );
    const failure = runPlan({
      root,
      stack: 'staging',
      program: join(repositoryRoot, 'infra/index.ts'),
    });
    await expect(failure).rejects.toMatchObject({ name: 'StackConfigError' });
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toContain('Invalid configuration for stack staging:');
    expect(message).toContain(
      '  - aia-platform:domain: required (pulumi config set aia-platform:domain ...)',
    );
    expect(message).toContain(
      '  - aia-platform:imageTag: must be an immutable tag or digest, not latest',
    );
    expect(message).toContain(
      '  - aia-platform:network → masterAuthorizedNetworks: 0.0.0.0/0 would open the control plane',
    );
  });
});
