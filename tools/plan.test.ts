import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

async function plan(...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'tools/plan.ts'), ...args],
      {
        cwd: root,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

describe('npm run plan', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plan-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the tree of the staging stack and writes the plan as JSON', async () => {
    const file = join(dir, 'staging.json');
    const { code, stdout } = await plan(
      '--stack',
      'staging',
      '--json',
      file,
      '--out',
      join(dir, 'out'),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Plan for stack staging of aia-platform');
    expect(stdout).toMatch(/├─ aia:platform:GkeCluster\s+aia-staging\s+\d+ resources/);
    expect(stdout).toMatch(/\+ \d+ to create \(\d+ components\)/);
    const document = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(document)).toEqual(['stack', 'resources', 'outputs']);
    expect(document.stack).toBe('staging');
    expect(Object.keys(document.resources[0])).toEqual(['urn', 'type', 'name', 'parent', 'inputs']);
    const cluster = document.resources.find(
      (r: { type: string }) => r.type === 'gcp:container/cluster:Cluster',
    );
    expect(cluster.parent).toBe(
      'urn:pulumi:staging::aia-platform::aia:platform:GkeCluster::aia-staging',
    );
    expect(cluster.urn).toBe(
      'urn:pulumi:staging::aia-platform::aia:platform:GkeCluster$gcp:container/cluster:Cluster::aia-staging-cluster',
    );
    expect(document.outputs.kubeconfig).toBe('[secret]');
    // The alerting files a person can check by hand with promtool and amtool.
    const out = join(dir, 'out');
    await run('promtool', ['check', 'rules', join(out, 'prometheus/rules.yaml')]);
    await run('promtool', ['test', 'rules', 'tests.yaml'], { cwd: join(out, 'prometheus') });
    const amtool = await run('amtool', [
      'check-config',
      join(out, 'alertmanager/alertmanager.yaml'),
    ]);
    expect(amtool.stdout).toContain('SUCCESS');
    expect(JSON.stringify(document)).not.toMatch(/plan-secret-/);
  }, 120_000);

  it('exits 2 naming the problem for an unknown or missing stack', async () => {
    const unknown = await plan('--stack', 'dev');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown stack 'dev'");
    const missing = await plan();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--stack is required');
  });
});
