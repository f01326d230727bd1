import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Disposable,
  startDisposablePostgres,
  startDisposableRedis,
} from '../../test/harness/disposable-servers.js';
import { testJwtEnv } from '../../test/harness/jwt.js';
import {
  findFreePort,
  type PostgresServer,
  type RedisServer,
} from '../../tools/local-servers/index.js';
import { ensureServiceDatabases } from '../../tools/local-stack/service-databases.js';
import { catalog, serviceDefinition, serviceNames } from '../catalog.js';
import { serviceModules } from '../modules.js';
import { type RunningService, startService } from './runtime.js';

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
const get = (service: RunningService, path: string) => fetch(`${service.url}${path}`);

describe('all six services on real PostgreSQL and Redis', () => {
  let postgres: Disposable<PostgresServer>;
  let redis: Disposable<RedisServer>;
  const running: RunningService[] = [];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startDisposablePostgres(), startDisposableRedis()]);
    const withPostgres = serviceNames.filter((name) =>
      serviceDefinition(name).dataStores.includes('postgres'),
    );
    const databaseUrls = await ensureServiceDatabases(postgres.adminUrl, withPostgres);
    for (const name of serviceNames) {
      const env = {
        PORT: String(await findFreePort()),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        READINESS_TIMEOUT_MS: '500',
        GIT_REVISION: 'test-rev',
        ...testJwtEnv,
        TREASURY_PRIVATE_KEY: 't'.repeat(32),
        ENCRYPTION_KEY: 'e'.repeat(32),
        REDIS_URL: redis.url,
        ...(databaseUrls[name] ? { DATABASE_URL: databaseUrls[name] } : {}),
      };
      running.push(
        await startService(name, { env, module: serviceModules[name], logDestination: silent }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });

  it('each answers /healthz, /readyz and /info', async () => {
    for (const service of running) {
      expect((await get(service, '/healthz')).status).toBe(200);
      const ready = await get(service, '/readyz');
      expect(ready.status, `${service.name} /readyz`).toBe(200);
      const dependencies = Object.keys(((await ready.json()) as { checks: object }).checks).sort();
      // No Neo4j here; object storage has no readiness check until a service speaks S3. Every
      // service has the event bus (Redis Streams here); the governor's, the orchestrator's and the DKG
      // manager's workers report too.
      const expected = [
        ...catalog[service.name].dataStores.filter(
          (store) => store !== 'neo4j' && store !== 'objectStorage',
        ),
        'events',
        // The gateway retries audit records its database could not take at once.
        ...(service.name === 'aia-api' ? ['worker:audit-retry'] : []),
        ...(service.name === 'economic-governor'
          ? ['worker:governance-tally', 'worker:idempotency-key-sweep', 'worker:pending-expiry']
          : []),
        ...(service.name === 'agent-orchestrator'
          ? [
              'worker:idempotency-key-sweep',
              'worker:settlement-reconciler',
              'worker:task-deadlines',
            ]
          : []),
        ...(service.name === 'dkg-manager'
          ? ['worker:idempotency-key-sweep', 'worker:dkg-evidence-copy']
          : []),
        ...(service.name === 'venture-discovery'
          ? ['worker:discovery-runs', 'worker:discovery-schedule']
          : []),
        ...(service.name === 'performance-tracker'
          ? [
              'worker:rank-publisher',
              'worker:scorecard-refresh',
              'worker:epoch-payout',
              'worker:variant-evaluator',
            ]
          : []),
      ].sort();
      expect(dependencies).toEqual(expected);
      expect(await (await get(service, '/info')).json()).toMatchObject({
        name: service.name,
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        revision: 'test-rev',
      });
    }
  });

  it('shows the LLM classes and providers in /info of the services that call models, never a key', async () => {
    for (const service of running) {
      const { llm } = (await (await get(service, '/info')).json()) as { llm?: object };
      const classes = catalog[service.name].llmClasses;
      if (!classes) {
        expect(llm, service.name).toBeUndefined();
        continue;
      }
      // No provider key here: the deterministic local model serves every class, and says so.
      expect(llm, service.name).toMatchObject({ providers: ['local'], local: true });
      for (const modelClass of classes)
        expect((llm as { classes: Record<string, string[]> }).classes[modelClass]).toEqual([
          `local:local-${modelClass}`,
        ]);
    }
  });

  it('each serves Prometheus metrics', async () => {
    for (const service of running) {
      const res = await get(service, '/metrics');
      expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(text).toContain(`service="${service.name}"`);
    }
  });

  it('stays ready but degraded when Redis stops (the rate limiter fails open, events wait in the outbox), unready when PostgreSQL stops too', async () => {
    await redis.stop();
    for (const service of running) {
      const res = await get(service, '/readyz');
      expect(res.status, service.name).toBe(200);
      expect(((await res.json()) as { degraded: string[] }).degraded.sort()).toEqual([
        'events',
        'redis',
      ]);
    }
    await postgres.stop();
    const governor = running.find(
      (service) => service.name === 'economic-governor',
    ) as RunningService;
    const res = await get(governor, '/readyz');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { failing: string[] }).failing).toEqual(['postgres']);
    // Liveness does not depend on dependencies: the process is fine, only not ready.
    expect((await get(governor, '/healthz')).status).toBe(200);
    // The gateway too: its identities and audit chain live in its own database.
    const gateway = running.find((service) => service.name === 'aia-api') as RunningService;
    const gatewayReady = await get(gateway, '/readyz');
    expect(gatewayReady.status).toBe(503);
    expect(((await gatewayReady.json()) as { failing: string[] }).failing).toContain('postgres');
  });
});
