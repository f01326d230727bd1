import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_SERVER_CA } from '../../infra/components/memorystore/index.js';
import { buildImageContents, type ImageContents } from '../image/build-contents.js';
import { rehearse } from './rehearsal.js';
import { renderStack } from './render.js';
import type { RenderedObject } from './rendered-workloads.js';

const root = join(import.meta.dirname, '../..');
let dir: string;
let image: ImageContents;
const rendered: Record<string, RenderedObject[]> = {};

// The plans first (a refused stack fails in seconds), then one image build for every rehearsal.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearsal-test-'));
  await chmod(dir, 0o711);
  [rendered.production, rendered.staging] = await Promise.all([
    renderStack('production', dir),
    renderStack('staging', dir),
  ]);
  image = await buildImageContents({ context: root, outDir: join(dir, 'image') });
}, 600_000);
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

const progress: Record<string, string[]> = {};
const run = (name: string, objects: RenderedObject[], readyTimeoutMs = 60_000) => {
  progress[name] = [];
  return rehearse({
    image,
    objects,
    dir: join(dir, name),
    readyTimeoutMs,
    onProgress: (line) => progress[name]?.push(line),
  });
};

/** The plan with every Pod's ConfigMap volumes and their mounts taken out. */
const withoutConfigMapMounts = (objects: RenderedObject[]) =>
  edited(objects, (object) => {
    if (object.kind !== 'Deployment' && object.kind !== 'Job') return;
    const pod = object.spec.template.spec;
    const removed = pod.volumes
      .filter((v: RenderedObject) => v.configMap)
      .map((v: RenderedObject) => v.name);
    pod.volumes = pod.volumes.filter((v: RenderedObject) => !removed.includes(v.name));
    pod.containers[0].volumeMounts = pod.containers[0].volumeMounts.filter(
      (m: RenderedObject) => !removed.includes(m.name),
    );
  });

const edited = (objects: RenderedObject[], edit: (object: RenderedObject) => void) => {
  const copy = structuredClone(objects);
  for (const object of copy) edit(object);
  return copy;
};

const ALL = [
  'agent-orchestrator',
  'aia-api',
  'dkg-manager',
  'economic-governor',
  'performance-tracker',
  'venture-discovery',
];

describe('the production-shaped rehearsal', () => {
  for (const stack of ['production', 'staging']) {
    it(`brings every ${stack} service up from the image with the rendered environment, its database login and the Memorystore stand-in`, async () => {
      const result = await run(stack, rendered[stack] ?? []);
      expect(result.failures).toEqual([]);
      expect(result.notRehearsed).toEqual([]);
      expect([...result.ready].sort()).toEqual(ALL);
      // The stacks render Kafka, which cannot run here: the output says what stands in for it.
      expect(progress[stack]).toContainEqual(
        expect.stringContaining(
          'Kafka stood in by the local event transport (EVENT_TRANSPORT=redis',
        ),
      );
    }, 120_000);
  }

  it('fails every service naming Redis and the certificate when the plan delivers no Redis server CA (as before the CA was mounted)', async () => {
    const beforeTheFix = edited(withoutConfigMapMounts(rendered.production ?? []), (object) => {
      if (object.kind === 'ConfigMap') delete object.data?.REDIS_CA_CERT_FILE;
    });
    const result = await run('no-redis-ca', beforeTheFix, 20_000);
    expect(result.ready).toEqual([]);
    expect(result.failures.map((f) => f.workload)).toContain('aia-api');
    for (const failure of result.failures)
      expect(failure.reason).toMatch(
        /^not ready within 20 s: redis is down: self-signed certificate in certificate chain/,
      );
  }, 120_000);

  it('fails naming REDIS_CA_CERT_FILE and the path when the env points at a CA that is not mounted', async () => {
    const result = await run(
      'no-ca-mount',
      withoutConfigMapMounts(rendered.production ?? []),
      // As the other negative scenarios: seven services starting side by side on a loaded
      // machine took more than 8 s to say what is wrong.
      20_000,
    );
    expect(result.ready).toEqual([]);
    expect(result.failures.map((f) => f.workload)).toContain('aia-api');
    for (const failure of result.failures)
      expect(failure.reason).toContain(
        `REDIS_CA_CERT_FILE: cannot read ${REDIS_SERVER_CA.mountPath}/${REDIS_SERVER_CA.key} (ENOENT)`,
      );
  }, 120_000);

  it('logs in to PostgreSQL with SSL required as a rendered DATABASE_URL says, and is refused without sslmode=require', async () => {
    const governor = (sslmode: string) =>
      edited(rendered.production ?? [], (object) => {
        if (object.metadata?.name !== 'economic-governor-env') return;
        if (object.kind === 'ConfigMap')
          for (const key of [
            'CLOUD_SQL_INSTANCE',
            'CLOUD_SQL_READ_INSTANCE',
            'CLOUD_SQL_IP_TYPE',
            'DATABASE_USER',
            'DATABASE_NAME',
          ])
            delete object.data[key];
        // A password login as the Cloud SQL component renders one (postgresUrl), on the server
        // the other services reach through the connector stand-in.
        if (object.kind === 'Secret')
          object.stringData.DATABASE_URL = `postgres://economic_governor:plan-secret-pw@cloud-sql-connector.invalid:5432/economic_governor${sslmode}`;
      });
    const withSsl = await run('database-url', governor('?sslmode=require'));
    expect(withSsl.failures).toEqual([]);
    expect(withSsl.ready).toContain('economic-governor');
    const withoutSsl = await run('no-sslmode', governor(''), 20_000);
    const job = withoutSsl.failures.find((f) => f.workload.startsWith('economic-governor (Job'));
    expect(job?.reason).toMatch(/no pg_hba\.conf entry .* no encryption/);
  }, 120_000);
});
