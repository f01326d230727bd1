import { Writable } from 'node:stream';
import { testPlatformKeys, testToken } from '../../../test/harness/jwt.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { serviceDefinition } from '../../catalog.js';
import { createServiceApp } from '../../platform/app.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createLogger } from '../../platform/logging.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { dkgManagerModule } from '../module.js';

/**
 * The DKG manager's app on the kit (authentication, limits, error handler) over a real database
 * with the PostgreSQL graph, for `app.request()` tests; `call` sends JSON under `/v1` with a
 * token of the given scopes.
 */
export function dkgApp(sql: Database) {
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'dkg-manager',
  });
  const metrics = createServiceMetrics({
    service: 'dkg-manager',
    declared: serviceDefinition('dkg-manager').metrics,
  });
  const { routes } = moduleRoutes('dkg-manager', dkgManagerModule, {
    db: sql,
    verify,
    registry: metrics.registry,
  });
  const app = createServiceApp({
    info: {
      name: 'dkg-manager',
      version: '0.0.0',
      revision: 'test',
      environment: 'test',
      featureFlags: {},
    },
    logger: createLogger({
      service: 'dkg-manager',
      level: 'silent',
      redactKeys: [],
      destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    }),
    metrics,
    readiness: {},
    limits: {
      bodyBytes: 1_048_576,
      requestTimeoutMs: 30_000,
      rateLimit: { redis: undefined, limit: 1_000_000, windowMs: 60_000, failMode: 'open' },
    },
    verify,
    routes,
  });
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (subject: string, scope: string) => {
    const key = `${subject} ${scope}`;
    if (!tokens.has(key)) tokens.set(key, testToken({ subject, scope, expiresIn: '1h' }));
    return tokens.get(key) as Promise<string>;
  };
  /** Sends a request to `/v1{path}` as `as` with `scope`; a body is sent as JSON. */
  const call = async (
    method: string,
    path: string,
    {
      as = 'ada',
      scope = 'dkg:read dkg:write',
      body,
      headers = {},
    }: { as?: string; scope?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    app.request(`/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await tokenFor(as, scope)}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { app, call };
}
