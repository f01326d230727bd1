import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);
const SQL = 'gcp:sql/databaseInstance:DatabaseInstance';
const urn = (type: string, name: string) => `urn:pulumi:production::aia-platform::${type}::${name}`;
const STATE = {
  version: 3,
  deployment: {
    manifest: {},
    resources: [
      { urn: urn('pulumi:pulumi:Stack', 'aia-platform-production'), type: 'pulumi:pulumi:Stack' },
      {
        urn: urn(SQL, 'primary'),
        type: SQL,
        custom: true,
        id: 'a',
        outputs: { name: 'old', region: 'us-central1' },
      },
      {
        urn: urn(SQL, 'dr'),
        type: SQL,
        custom: true,
        id: 'b',
        outputs: { name: 'dr', region: 'us-east1' },
      },
      {
        urn: urn('gcp:serviceaccount/account:Account', 'sa'),
        type: 'gcp:serviceaccount/account:Account',
        custom: true,
        id: 'c',
        outputs: {},
      },
    ],
    pending_operations: [
      {
        type: 'creating',
        resource: {
          urn: urn('gcp:serviceaccount/account:Account', 'sa'),
          type: 'gcp:serviceaccount/account:Account',
        },
      },
    ],
  },
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'region-evacuate-cli-'));
  await writeFile(join(dir, 'before.json'), JSON.stringify(STATE));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function evacuate(...args: string[]) {
  return run('npx', ['tsx', 'tools/region-evacuate.ts', ...args], { cwd: root }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}
const flags = (out: string, region = 'us-central1', adopt = 'dr') => [
  '--state',
  join(dir, 'before.json'),
  '--lost-region',
  region,
  '--adopt-instance',
  adopt,
  '--out',
  join(dir, out),
];

describe('npm run region:evacuate', () => {
  it('writes the state without the lost region and prints what left', async () => {
    const result = await evacuate(...flags('after.json'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Leaving the state: 2 resources (2 kept).');
    expect(result.stdout).toContain(
      'Pending operations of an interrupted update (1): pulumi stack import drops them; check each by hand',
    );
    expect(result.stdout).toContain('  - creating gcp:serviceaccount/account:Account sa');
    expect(result.stdout).toContain(
      `pulumi stack import --stack production --file ${join(dir, 'after.json')}`,
    );
    const after = JSON.parse(await readFile(join(dir, 'after.json'), 'utf8'));
    expect(after.deployment.resources.map((resource: { urn: string }) => resource.urn)).toEqual([
      STATE.deployment.resources[0]?.urn,
      STATE.deployment.resources[3]?.urn,
    ]);
  });

  it('never overwrites a file, and writes nothing when it refuses', async () => {
    await writeFile(join(dir, 'taken.json'), 'keep');
    const taken = await evacuate(...flags('taken.json'));
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/EEXIST.*nothing written/);
    expect(await readFile(join(dir, 'taken.json'), 'utf8')).toBe('keep');

    const unknown = await evacuate(...flags('never.json', 'us-central1', 'missing'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      '--adopt-instance: the state holds no Cloud SQL instance named missing',
    );
    await expect(stat(join(dir, 'never.json'))).rejects.toThrow(/ENOENT/);
  });

  it('exits 2 naming the flag on a bad command line', async () => {
    const missing = await evacuate('--state', join(dir, 'before.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--lost-region is required');
    const badRegion = await evacuate(...flags('x.json', 'Central'));
    expect(badRegion.code).toBe(2);
    expect(badRegion.stderr).toContain(
      '--lost-region: expected a region such as us-central1, got "Central"',
    );
  });
});
