import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { testPublicKeys } from '../../test/harness/jwt.js';
import { createServiceApp, type UnauthenticatedApiPrefix } from './app.js';
import { createJwtVerifier } from './auth.js';
import { createLogger } from './logging.js';
import { createServiceMetrics } from './metrics.js';
import type { AppEnv } from './types.js';

const answer = (c: { text: (body: string) => Response }) => c.text('served');
/** Every route answers for every method: only authentication can refuse a request. */
const everywhere = new Hono<AppEnv>().all('/*', answer);

const appWith = (open: readonly UnauthenticatedApiPrefix[]) =>
  createServiceApp({
    info: { name: 'test', version: '1', revision: 'r', environment: 'test', featureFlags: {} },
    logger: createLogger({
      service: 'test',
      level: 'silent',
      redactKeys: [],
      destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    }),
    metrics: createServiceMetrics({ service: 'test' }),
    readiness: {},
    limits: {
      bodyBytes: 64,
      requestTimeoutMs: 1_000,
      rateLimit: { redis: undefined, limit: 100, windowMs: 60_000, failMode: 'open' },
    },
    verify: createJwtVerifier({
      publicKeys: testPublicKeys,
      issuer: 'aia-platform',
      audience: 'aia-platform',
    }),
    unauthenticatedApiPrefixes: open,
    routes: everywhere,
  });

const statusOf = async (app: Hono<AppEnv>, method: string, path: string) =>
  (await app.request(path, { method })).status;

describe('/v1 prefixes left out of authentication', () => {
  it('open a plain prefix to every method, whole segments only', async () => {
    const app = appWith(['/v1/a2a']);
    for (const method of ['GET', 'POST', 'DELETE'])
      expect(await statusOf(app, method, '/v1/a2a/agents/x'), method).toBe(200);
    expect(await statusOf(app, 'GET', '/v1/a2a')).toBe(200);
    expect(await statusOf(app, 'GET', '/v1/a2ab')).toBe(401);
    expect(await statusOf(app, 'GET', '/v1/other')).toBe(401);
  });

  it('open a prefix given with methods to those methods only', async () => {
    const app = appWith([{ prefix: '/v1/page', methods: ['GET', 'HEAD'] }]);
    expect(await statusOf(app, 'GET', '/v1/page/')).toBe(200);
    expect(await statusOf(app, 'HEAD', '/v1/page/file.js')).toBe(200);
    expect(await statusOf(app, 'GET', '/v1/page')).toBe(200);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS'])
      expect(await statusOf(app, method, '/v1/page/file.js'), method).toBe(401);
    expect(await statusOf(app, 'GET', '/v1/pages')).toBe(401);
    expect(await statusOf(app, 'GET', '/v1/search')).toBe(401);
  });
});
