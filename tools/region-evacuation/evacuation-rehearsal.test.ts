import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { serviceNames } from '../../services/catalog.js';
import { fencedBlocks } from '../../test/docs/markdown.js';
import { type Plan, runPlan } from '../plan/run-plan.js';
import { redactSecrets } from '../plan/secrets.js';
import { checkPlan } from '../policy-check/check.js';
import type { StackExport, StateResource } from './state.js';
import { type PlannedResource, stateOfPlan } from './testing/plan-state.js';

/**
 * The whole-region path of docs/runbooks/incidents/lost-region.md, rehearsed offline: production
 * planned as it is, its state as an `up` would leave it, `npm run region:evacuate` run on that
 * state with us-central1 lost, then production planned with the runbook's configuration for
 * us-east1. What the next `pulumi up` would do is the difference between the two, as the engine
 * computes it from URNs and inputs: it must delete no survivor, replace none, and create nothing
 * under a name still held in the cloud (the lost region's resources still exist there).
 * One plan in this process (Pulumi's state is global): the first one runs as `npm run plan`.
 */
const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);
const RUNBOOK = 'docs/runbooks/incidents/lost-region.md';
const MOVED_CONFIG = '# Pulumi.production.yaml, moved to us-east1';
const LOST = 'us-central1';

/** Deep-merges the runbook's changes over the stack file; `null` removes a key. */
function merged(base: Record<string, unknown>, changes: Record<string, unknown>) {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    const before = result[key];
    if (value === null) delete result[key];
    else if (isObject(value) && isObject(before)) result[key] = merged(before, value);
    else result[key] = value;
  }
  return result;
}
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const locationOf = (inputs: Record<string, unknown> = {}) => {
  const value = inputs.region ?? inputs.location ?? inputs.zone;
  return typeof value === 'string' ? value.toLowerCase() : '';
};
const inLost = (location: string) => location === LOST || location.startsWith(`${LOST}-`);

/** Types whose names are unique in the project or worldwide, whatever their location. */
const GLOBAL_NAMES = new Set([
  'gcp:storage/bucket:Bucket',
  'gcp:sql/databaseInstance:DatabaseInstance',
  'gcp:serviceaccount/account:Account',
  'gcp:secretmanager/secret:Secret',
]);
/**
 * The name the cloud knows a resource by, where it must be unique: a bucket's or an instance's
 * worldwide or in the project, a regional one's within its location, a database's or user's
 * within its instance. Undefined for what has no such name (bindings, keys inside a key ring).
 */
function cloudName(type: string, inputs: Record<string, unknown> = {}): string | undefined {
  const name = inputs.name ?? inputs.accountId ?? inputs.secretId ?? inputs.repositoryId;
  if (typeof name !== 'string' || type.startsWith('kubernetes:')) return undefined;
  if (type === 'gcp:sql/user:User' || type === 'gcp:sql/database:Database') {
    return `${type} ${inputs.instance}/${name}`;
  }
  if (GLOBAL_NAMES.has(type)) return `${type} ${name}`;
  const location = locationOf(inputs);
  return type.startsWith('gcp:') && location ? `${type} ${location}/${name}` : undefined;
}

/** Inputs whose change makes the engine replace a resource (they name or place it). */
const IDENTITY = ['name', 'location', 'region', 'zone', 'project', 'accountId', 'secretId'];
/** An IAM binding is replaced when any of its parts changes (the provider forces new on each). */
const BINDING = ['role', 'member', 'condition'];
const isBinding = (type: string) => /IamMember|IAMMember$/i.test(type);

let dir = '';
let before: PlannedResource[] = [];
let kept: StateResource[] = [];
let evacuateOutput = '';
let adopted = '';
let after: Plan;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evacuation-'));
  await run(
    'npx',
    [
      'tsx',
      'tools/plan.ts',
      '--stack',
      'production',
      '--json',
      join(dir, 'before.json'),
      '--no-policy',
    ],
    {
      cwd: root,
    },
  );
  before = (
    JSON.parse(await readFile(join(dir, 'before.json'), 'utf8')) as { resources: PlannedResource[] }
  ).resources;
  const current = parse(await readFile(join(root, 'Pulumi.production.yaml'), 'utf8')) as {
    config: Record<string, string>;
  };
  const google = {
    project: current.config['gcp:project'] ?? '',
    region: current.config['gcp:region'] ?? '',
  };
  await writeFile(
    join(dir, 'state.json'),
    JSON.stringify(stateOfPlan('production', before, google)),
  );
  const block = fencedBlocks(RUNBOOK).find((candidate) => candidate.body.startsWith(MOVED_CONFIG));
  if (!block) throw new Error(`${RUNBOOK} has no block starting "${MOVED_CONFIG}"`);
  const changes = parse(block.body) as { config: Record<string, unknown> };
  adopted = (changes.config['aia-platform:cloudSql'] as { adoptPrimary: { instanceName: string } })
    .adoptPrimary.instanceName;

  const evacuation = await run(
    'npx',
    [
      'tsx',
      'tools/region-evacuate.ts',
      '--state',
      join(dir, 'state.json'),
      '--lost-region',
      LOST,
      '--adopt-instance',
      adopted,
      '--out',
      join(dir, 'after-state.json'),
    ],
    { cwd: root },
  );
  evacuateOutput = evacuation.stdout;
  kept = ((JSON.parse(await readFile(join(dir, 'after-state.json'), 'utf8')) as StackExport)
    .deployment.resources ?? []) as StateResource[];

  const stack = parse(await readFile(join(root, 'Pulumi.production.yaml'), 'utf8')) as {
    config: Record<string, unknown>;
  };
  const stackFile = join(dir, 'Pulumi.production.yaml');
  await writeFile(stackFile, stringify({ ...stack, config: merged(stack.config, changes.config) }));
  after = await runPlan({ root, stack: 'production', stackFile });
}, 300_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const EXPECTED_REPLACEMENTS = [
  ...serviceNames.flatMap((service) =>
    ['client', 'instanceUser'].map((role) => `aia-production-sql-iam-${service}-${role}`),
  ),
  // Conditioned on instance names starting with the primary's, which is the adopted one now.
  'aia-production-sql-auditors-client',
  'aia-production-sql-auditors-instanceUser',
  // The serving instance's own account (the offline plan gives each instance its own; instances
  // of a project may share one, and then the binding stays).
  'aia-production-sql-exports-instance-writes',
];
/** What the program declares (the engine makes the default providers from the configuration). */
const keptCustom = () =>
  kept.filter((resource) => resource.custom && !resource.type.startsWith('pulumi:providers:'));
const planned = () => new Map(after.resources.map((resource) => [resource.urn, resource]));

describe('moving production out of a lost us-central1 (offline rehearsal)', () => {
  it('evacuates the state with the runbook’s command and reports what left', () => {
    expect(evacuateOutput).toMatch(/^Leaving the state: \d+ resources \(\d+ kept\)\./);
    expect(evacuateOutput).toContain('the promoted replica: the program imports it as the primary');
    expect(evacuateOutput).toMatch(
      / Kubernetes objects in the lost cluster: 1 provider, \d+ Namespace/,
    );
    expect(evacuateOutput).toContain('pulumi stack import --stack production --file');
    expect(kept.some((resource) => resource.type.startsWith('kubernetes:'))).toBe(false);
  });

  it('keeps the Google provider, though its region was the lost one, and every Google resource on it', () => {
    const google = kept.find((resource) => resource.type === 'pulumi:providers:gcp');
    expect(google?.inputs?.region).toBe(LOST);
    const onGoogle = kept.filter((resource) => resource.provider?.startsWith(`${google?.urn}::`));
    expect(onGoogle.map((resource) => resource.type)).toEqual(
      expect.arrayContaining([
        'gcp:serviceaccount/account:Account',
        'gcp:secretmanager/secret:Secret',
        'gcp:storage/bucket:Bucket',
        'gcp:dns/recordSet:RecordSet',
        'gcp:compute/network:Network',
      ]),
    );
    const providers = new Set(kept.map((resource) => resource.urn));
    const dangling = kept
      .filter(
        (resource) =>
          resource.provider &&
          !providers.has(resource.provider.slice(0, resource.provider.lastIndexOf('::'))),
      )
      .map((resource) => resource.urn);
    expect(dangling).toEqual([]);
  });

  it('passes the production policy pack: the moved stack can be released again', async () => {
    const verdict = await checkPlan(
      'production',
      after.resources.map((resource) => ({
        ...resource,
        inputs: redactSecrets(resource.inputs) as Record<string, unknown>,
      })),
    );
    expect(verdict.violations).toEqual([]);
  });

  it('plans nothing in the lost region', () => {
    const stranded = after.resources
      .filter((resource) => inLost(locationOf(resource.inputs)))
      .map((resource) => `${resource.type} ${resource.name}`);
    expect(stranded).toEqual([]);
  });

  it('deletes no survivor: what is kept is still declared, but the lag alerts of former replicas', () => {
    const declared = planned();
    const deleted = keptCustom()
      .filter((resource) => !declared.has(resource.urn))
      .map((resource) => `${resource.type} ${resource.urn.split('::').pop()}`);
    // The promoted replica is the primary now, and the read replica was lost: their lag alerts
    // go (global, deletable with the region down); the new read replica gets its own.
    expect(deleted.sort()).toEqual(
      [
        `gcp:monitoring/alertPolicy:AlertPolicy aia-production-cloud-alerts-${adopted}-lag`,
        'gcp:monitoring/alertPolicy:AlertPolicy aia-production-cloud-alerts-aia-production-postgres-replica-us-central1-lag',
      ].sort(),
    );
  });

  it('replaces no survivor but the IAM bindings that name the old instances', () => {
    const declared = planned();
    const replaced: string[] = [];
    for (const resource of keptCustom()) {
      const now = declared.get(resource.urn);
      if (!now) continue;
      const keys = isBinding(resource.type) ? [...IDENTITY, ...BINDING] : IDENTITY;
      if (
        keys.some(
          (key) => JSON.stringify(resource.inputs?.[key]) !== JSON.stringify(now.inputs[key]),
        )
      ) {
        replaced.push(now.name);
      }
    }
    // Global bindings, each created before the old one is deleted: nothing loses access.
    expect(replaced.sort()).toEqual(EXPECTED_REPLACEMENTS.sort());
  });

  it('creates nothing under a name the cloud still holds, and imports the promoted replica', () => {
    const stillHeld = new Map<string, string>();
    for (const resource of before) {
      const name = cloudName(resource.type, resource.inputs);
      if (name) stillHeld.set(name, resource.urn);
    }
    const keptUrns = new Set(kept.map((resource) => resource.urn));
    const collisions = after.resources
      .filter((resource) => !keptUrns.has(resource.urn) && resource.importId === undefined)
      .map((resource) => cloudName(resource.type, resource.inputs))
      .filter((name): name is string => name !== undefined && stillHeld.has(name));
    expect(collisions).toEqual([]);
    const imports = after.resources.filter((resource) => resource.importId !== undefined);
    expect(
      imports.find((resource) => resource.type === 'gcp:sql/databaseInstance:DatabaseInstance'),
    ).toMatchObject({ importId: `projects/aia-platform-production/instances/${adopted}` });
    // Every database and user the program declares came over with the data: imported, not created.
    const created = after.resources.filter(
      (resource) =>
        (resource.type === 'gcp:sql/user:User' || resource.type === 'gcp:sql/database:Database') &&
        resource.importId === undefined,
    );
    expect(created.map((resource) => resource.name)).toEqual([]);
  });
});
