import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, repositoryRoot } from '../test/harness/plan-queries.js';
import { type Plan, runPlan } from '../tools/plan/run-plan.js';

/**
 * Production's configuration rebuilt in the disaster recovery region around the promoted replica
 * (`cloudSql.adoptPrimary`, the lost-region runbook's whole-region path): what the program would
 * import rather than create. One plan per file: Pulumi's state is global.
 */
const ADOPTED = 'aia-production-postgres-dr-us-east1';
const PROJECT = 'aia-platform-production';

let dir = '';
let plan: Plan;
let q: ReturnType<typeof queries>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adopt-primary-'));
  let stack = await readFile(join(repositoryRoot, 'Pulumi.production.yaml'), 'utf8');
  for (const [from, to] of [
    ['gcp:region: us-central1', 'gcp:region: us-east1'],
    ['[us-central1-a, us-central1-b, us-central1-c]', '[us-east1-b, us-east1-c, us-east1-d]'],
    [
      'disasterRecovery: { region: us-east1, promoted: false }',
      `adoptPrimary: { instanceName: ${ADOPTED} }`,
    ],
  ] as const) {
    if (!stack.includes(from)) throw new Error(`Pulumi.production.yaml no longer contains ${from}`);
    stack = stack.replace(from, to);
  }
  const stackFile = join(dir, 'Pulumi.production.yaml');
  await writeFile(stackFile, stack);
  plan = await runPlan({ root: repositoryRoot, stack: 'production', stackFile });
  q = queries(plan);
}, 300_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const instances = () => q.ofType('gcp:sql/databaseInstance:DatabaseInstance');
/** The built-in (password) users: no type, unlike the IAM users and the auditors' group. */
const passwordUsers = () =>
  q.ofType('gcp:sql/user:User').filter((user) => q.inputsOf(user).type === undefined);
const AUDITORS = 'ledger-auditors@aia-platform.dev';

describe('production adopting the promoted replica as its primary (offline plan)', () => {
  it('imports the replica as the primary, under its own name and region, and creates no other', () => {
    const adopted = instances().filter((instance) => instance.importId !== undefined);
    expect(adopted.map(({ name, importId }) => ({ name, importId }))).toEqual([
      { name: 'aia-production-primary', importId: `projects/${PROJECT}/instances/${ADOPTED}` },
    ]);
    // Name and region force a replacement: they must be the adopted instance's.
    expect(q.inputsOf(adopted[0])).toMatchObject({
      project: PROJECT,
      name: ADOPTED,
      region: 'us-east1',
      databaseVersion: 'POSTGRES_15',
    });
    expect(instances().map((instance) => q.inputsOf(instance).name)).toEqual([
      ADOPTED,
      'aia-production-postgres-replica-us-east1',
    ]);
  });

  it("imports every service's database and password user, which came over with the data", () => {
    const databases = q.ofType('gcp:sql/database:Database');
    expect(databases.length).toBeGreaterThanOrEqual(5);
    for (const database of databases) {
      const { name, instance } = q.inputsOf(database);
      expect(instance).toBe(ADOPTED);
      expect(database.importId).toBe(`projects/${PROJECT}/instances/${ADOPTED}/databases/${name}`);
    }
    const users = passwordUsers();
    expect(users.map((user) => q.inputsOf(user).name).sort()).toEqual(
      databases.map((database) => q.inputsOf(database).name).sort(),
    );
    for (const user of users) {
      expect(user.importId).toBe(`${PROJECT}/${ADOPTED}/${q.inputsOf(user).name}`);
    }
  });

  it('connects every PostgreSQL service to the adopted instance', () => {
    const clients = q
      .ofType('kubernetes:core/v1:ConfigMap')
      .map(q.inputsOf)
      .filter((configMap) => configMap.data?.CLOUD_SQL_INSTANCE);
    expect(clients.length).toBeGreaterThanOrEqual(5);
    for (const { metadata, data } of clients) {
      expect(data.CLOUD_SQL_INSTANCE, metadata.name).toBe(`${PROJECT}:us-east1:${ADOPTED}`);
    }
  });

  it("imports the auditors' group user, which came over with the data too", () => {
    const groups = q
      .ofType('gcp:sql/user:User')
      .filter((user) => q.inputsOf(user).type === 'CLOUD_IAM_GROUP');
    expect(
      groups.map((user) => ({ name: q.inputsOf(user).name, importId: user.importId })),
    ).toEqual([{ name: AUDITORS, importId: `${PROJECT}/${ADOPTED}/${AUDITORS}` }]);
  });

  it("imports every service's IAM database user, which the replica copied from the stack's old primary", () => {
    const iamUsers = q
      .ofType('gcp:sql/user:User')
      .filter((user) => q.inputsOf(user).type === 'CLOUD_IAM_SERVICE_ACCOUNT');
    expect(iamUsers.length).toBe(passwordUsers().length);
    for (const user of iamUsers) {
      const { name, instance } = q.inputsOf(user);
      expect(name).toMatch(/^[a-z][a-z0-9-]+@aia-platform-production\.iam$/);
      expect(instance).toBe(ADOPTED);
      expect(user.importId).toBe(`${PROJECT}/${ADOPTED}/${name}`);
    }
  });

  it('imports nothing else: the instance, its databases and the users that came over with the data', () => {
    const imported = plan.resources.filter((resource) => resource.importId !== undefined);
    expect(imported.length).toBe(1 + 3 * passwordUsers().length + 1);
    expect(new Set(imported.map((resource) => resource.type))).toEqual(
      new Set([
        'gcp:sql/databaseInstance:DatabaseInstance',
        'gcp:sql/database:Database',
        'gcp:sql/user:User',
      ]),
    );
  });
});

describe('what production keeps when it moves to the disaster recovery region (offline plan)', () => {
  const buckets = () => q.ofType('gcp:storage/bucket:Bucket').map(q.inputsOf);

  it('keeps the reports bucket as it is in us-central1: same name, same dual-region, nothing to replace', () => {
    expect(buckets().filter((bucket) => bucket.labels.purpose === 'reports')).toMatchObject([
      { name: 'aia-production-reports-nam4', location: 'NAM4', rpo: 'ASYNC_TURBO' },
    ]);
  });

  it('keeps every backup bucket in NAM4 under its name: backups.location is pinned, not derived from the new region', () => {
    const backups = buckets()
      .filter((bucket) => bucket.labels.purpose !== 'reports')
      .map(({ name, location }) => ({ name, location }));
    expect(backups.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'aia-production-config-backups-nam4', location: 'NAM4' },
      { name: 'aia-production-neo4j-backups-nam4', location: 'NAM4' },
      { name: 'aia-production-sql-exports-nam4', location: 'NAM4' },
    ]);
  });

  it('keeps the image repository and the release key ring in us, where a region loss cannot take them', () => {
    expect(q.one('gcp:artifactregistry/repository:Repository')).toMatchObject({
      location: 'us',
      repositoryId: 'aia',
    });
    const rings = q.ofType('gcp:kms/keyRing:KeyRing').map(q.inputsOf);
    expect(rings.find((ring) => ring.name === 'aia-production-release')?.location).toBe('us');
  });
});
