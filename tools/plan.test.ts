import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

  /** Pulumi.staging.yaml with `edits` applied, written to a file of the test's folder. */
  async function stagingFileWith(name: string, ...edits: [string | RegExp, string][]) {
    let text = await readFile(join(root, 'Pulumi.staging.yaml'), 'utf8');
    for (const [from, to] of edits) {
      const next = text.replace(from, to);
      if (next === text) throw new Error(`Pulumi.staging.yaml no longer contains ${from}`);
      text = next;
    }
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  }

  it('exits 2 with the key, the reason and the fix for a bad stack file, without a stack trace', async () => {
    const file = await stagingFileWith(
      'bad.yaml',
      ['imageTag: 0.1.0', 'imageTag: 0.1.0\n  aia-platform:imagetag: 0.2.0'],
      ['config:\n', 'config:\n  aia-platform:jwtSigningKey: short\n'],
    );
    const { code, stdout, stderr } = await plan('--stack', 'staging', '--stack-file', file);
    expect(code).toBe(2);
    expect(stderr).toContain('Invalid configuration for stack staging:');
    expect(stderr).toContain(
      '  - aia-platform:imagetag: unknown key, ignored by the program; did you mean aia-platform:imageTag?',
    );
    expect(stderr).toContain(
      '  - aia-platform:jwtSigningKey: is stored in plain text in the stack file; a secret must be encrypted: pulumi config set --secret aia-platform:jwtSigningKey <value>',
    );
    expect(stderr).toMatch(
      /aia-platform:jwtSigningKey: expected a PKCS#8 PEM ECDSA P-256 private key/,
    );
    expect(stderr).toContain('Nothing was created.');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).not.toContain('Plan for stack');
  }, 60_000);

  it('exits 2 naming the line of a YAML syntax error, without a stack trace', async () => {
    const file = await stagingFileWith('broken.yaml', [
      '    podsCidr: 10.16.0.0/14',
      '   podsCidr: [10.16.0.0/14',
    ]);
    const { code, stderr } = await plan('--stack', 'staging', '--stack-file', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/broken\.yaml is not valid YAML: .* at line \d+, column \d+:/);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('plans a stack without PagerDuty: nothing of PagerDuty, critical alerts to Slack', async () => {
    const file = await stagingFileWith('no-pagerduty.yaml', [/ {4}pagerduty:\n(?: {6}.*\n)+/, '']);
    const out = join(dir, 'no-pagerduty');
    const json = join(dir, 'no-pagerduty.json');
    const { code, stdout } = await plan(
      ...['--stack', 'staging', '--stack-file', file, '--out', out, '--json', json, '--no-policy'],
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Plan for stack staging');
    const document = JSON.parse(await readFile(json, 'utf8'));
    const types: string[] = document.resources.map((r: { type: string }) => r.type);
    expect(types.filter((type) => type.startsWith('pagerduty:'))).toEqual([]);
    expect(types).not.toContain('aia:platform:PagerDutyRouting');
    const config = join(out, 'alertmanager/alertmanager.yaml');
    expect((await run('amtool', ['check-config', config])).stdout).toContain('SUCCESS');
    // amtool fails the command when the alert does not reach exactly this receiver.
    await run('amtool', [
      ...['config', 'routes', 'test', `--config.file=${config}`],
      ...['--verify.receivers=slack-critical', 'severity=critical', 'service=aia-api'],
    ]);
    expect(await readFile(config, 'utf8')).not.toContain('pagerduty');
  }, 120_000);

  it('writes its files where git and Biome ignore them, for every command the docs and CI run', async () => {
    const pages = (await readdir(join(root, 'docs'))).filter((file) => file.endsWith('.md'));
    const documents = [
      await readFile(join(root, 'README.md'), 'utf8'),
      ...(await Promise.all(pages.map((page) => readFile(join(root, 'docs', page), 'utf8')))),
      (await readFile(join(root, '.github/workflows/pull-request.yml'), 'utf8')).replace(
        /\$\{\{ matrix\.stack \}\}/g,
        'staging',
      ),
    ];
    const written = documents.flatMap((text) =>
      [...text.matchAll(/--(?:json|out) ([\w.${}-]+)/g)].map((match) => match[1] ?? ''),
    );
    expect(written).toEqual(expect.arrayContaining(['plan.json', 'plan-out', 'verdicts.json']));
    // A file inside each path: `/plan-out/` ignores a directory, `/plan.json` a file or directory.
    const inside = [...new Set(written)].map((path) => `${path}/x`);
    const ignored = await run('git', ['check-ignore', ...inside], { cwd: root }).catch(
      (error: { stdout: string }) => error,
    );
    expect(ignored.stdout.trim().split('\n').sort()).toEqual(inside.sort());
    const biome = JSON.parse(await readFile(join(root, 'biome.json'), 'utf8'));
    expect(biome.vcs).toMatchObject({ enabled: true, clientKind: 'git', useIgnoreFile: true });
  });

  it('exits 2 naming the problem for an unknown or missing stack', async () => {
    const unknown = await plan('--stack', 'dev');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown stack 'dev'");
    const missing = await plan();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--stack is required');
  });
});
