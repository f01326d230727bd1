import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { testJwtEnv, testToken } from '../../test/harness/jwt.js';
import { useTestRedis } from '../../test/harness/redis.js';
import { findFreePort } from '../../tools/local-servers/index.js';
import { type RunningService, startService } from '../platform/runtime.js';
import { aiaApiModule } from './module.js';

// The gateway's own PostgreSQL (identities, the audit chain), as a deployed one has.
const database = useTestDatabase('gateway_routes');
const redis = useTestRedis();
let api: RunningService;
let bearer: string;

beforeAll(async () => {
  api = await startService('aia-api', {
    env: {
      PORT: String(await findFreePort()),
      HOST: '127.0.0.1',
      ...testJwtEnv,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      BODY_LIMIT_BYTES: '512',
    },
    module: aiaApiModule,
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  bearer = `Bearer ${await testToken({ subject: 'ada', scope: 'ledger:read agents:run' })}`;
});
afterAll(() => api.stop());

const introspect = (body: string, contentType = 'application/json') =>
  fetch(`${api.url}/v1/auth/introspect`, {
    method: 'POST',
    headers: { Authorization: bearer, 'Content-Type': contentType },
    body,
  });

describe('aia-api on a real server', () => {
  it('tells the caller who the token says they are', async () => {
    const res = await fetch(`${api.url}/v1/whoami`, { headers: { Authorization: bearer } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ subject: 'ada', scopes: ['agents:run', 'ledger:read'] });
    expect(res.headers.get('RateLimit-Limit')).toBe('600');
  });

  it('introspects active and inactive tokens', async () => {
    const other = await testToken({ subject: 'bob', scope: 'ledger:read' });
    expect(await (await introspect(JSON.stringify({ token: other }))).json()).toEqual({
      active: true,
      sub: 'bob',
      scope: 'ledger:read',
    });
    const expired = await testToken({ expiresIn: -10 });
    expect(await (await introspect(JSON.stringify({ token: expired }))).json()).toEqual({
      active: false,
    });
  });

  it('answers bad input with a clear 4xx and never a stack trace', async () => {
    const cases = [
      {
        body: '{"token": ',
        contentType: 'application/json',
        status: 400,
        detail: /malformed json/i,
      },
      {
        body: 'token=x',
        contentType: 'text/plain',
        status: 415,
        detail: /content-type must be application\/json/,
      },
      {
        body: JSON.stringify({ token: 'x'.repeat(600) }),
        contentType: 'application/json',
        status: 413,
        detail: /512 bytes/,
      },
      {
        body: JSON.stringify({ token: '' }),
        contentType: 'application/json',
        status: 422,
        detail: /token: must not be empty/,
      },
      {
        body: JSON.stringify({ jwt: 'x' }),
        contentType: 'application/json',
        status: 422,
        detail: /token: required/,
      },
    ];
    for (const { body, contentType, status, detail } of cases) {
      const res = await introspect(body, contentType);
      const text = await res.text();
      expect(res.status, text).toBe(status);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(JSON.parse(text).detail).toMatch(detail);
      expect(text).not.toMatch(/\bat \S+:\d+|node_modules|Error:/);
    }
  });

  it('refuses calls without a token', async () => {
    const res = await fetch(`${api.url}/v1/whoami`);
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
  });
});
