import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planned } from '../test/harness/policy-fixtures.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

async function policyCheck(...args: string[]) {
  try {
    const { stdout, stderr } = await run(join(root, 'node_modules/.bin/tsx'), [
      join(root, 'tools/policy-check.ts'),
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

const publicSql = planned(
  'gcp:sql/databaseInstance:DatabaseInstance',
  'aia-staging-postgres',
  {
    name: 'aia-staging-postgres',
    settings: {
      availabilityType: 'ZONAL',
      ipConfiguration: { ipv4Enabled: true, sslMode: 'ENCRYPTED_ONLY' },
    },
  },
  { stack: 'staging' },
);

describe('npm run policy:check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policy-check-'));
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({ stack: 'staging', resources: [publicSql], outputs: {} }),
    );
    await writeFile(
      join(dir, 'empty.json'),
      JSON.stringify({ stack: 'production', resources: [], outputs: {} }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 1 on a mandatory violation, prints it grouped by level and writes the JSON verdict', async () => {
    const verdictFile = join(dir, 'verdict.json');
    const { code, stdout } = await policyCheck(join(dir, 'bad.json'), '--json', verdictFile);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /Mandatory \(\d+\)\n {2}✗ gcp-cloudsql-no-public-ip {2}aia-staging-postgres \(gcp:sql\/databaseInstance:DatabaseInstance\)/,
    );
    expect(stdout).toMatch(/Advisory \(\d+\)\n[\s\S]*! gcp-cloudsql-high-availability/);
    expect(stdout).toContain('mandatory violation(s): the preview would fail.');
    const { violations } = JSON.parse(await readFile(verdictFile, 'utf8'));
    expect(Object.keys(violations[0])).toEqual(['policy', 'enforcementLevel', 'urn', 'message']);
    expect(violations).toContainEqual(
      expect.objectContaining({
        policy: 'gcp-cloudsql-no-public-ip',
        enforcementLevel: 'mandatory',
        urn: publicSql.urn,
      }),
    );
  });

  it('applies the stack given with --stack over the plan file', async () => {
    const { stdout } = await policyCheck(join(dir, 'bad.json'), '--stack', 'production');
    expect(stdout).toMatch(/Mandatory \(\d+\)[\s\S]*gcp-cloudsql-high-availability/);
  });

  it('exits 0 when nothing is violated', async () => {
    const { code, stdout } = await policyCheck(join(dir, 'empty.json'));
    expect(code).toBe(0);
    expect(stdout).toContain('No mandatory violations (0 advisory).');
  });

  it('exits 2 naming the problem for a missing or malformed plan', async () => {
    const missing = await policyCheck(join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read plan');
    await writeFile(join(dir, 'odd.json'), '{"stack":"staging"}');
    const odd = await policyCheck(join(dir, 'odd.json'));
    expect(odd.code).toBe(2);
    expect(odd.stderr).toContain('is not a plan: it has no "resources" array');
  });
});
