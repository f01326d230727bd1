import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testJwtEnv, testToken } from '../../../test/harness/jwt.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import { findFreePort } from '../../../tools/local-servers/index.js';
import { useRunningOrchestrator } from '../../agent-orchestrator/testing/running-orchestrator.js';
import { dkgApp } from '../../dkg-manager/testing/dkg-app.js';
import { trackerApp } from '../../performance-tracker/testing/tracker-app.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { type RunningService, startService } from '../../platform/runtime.js';
import type { AppEnv } from '../../platform/types.js';
import { discoveryApp } from '../../venture-discovery/testing/discovery-app.js';
import { aiaApiModule } from '../module.js';
import type { AuthorizationMatrix } from './authorization-matrix.js';
import { ROLE_NAMES, scopesOfRole } from './roles.js';

const MATRIX_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'docs',
  'authorization-matrix.json',
);

const running = useRunningOrchestrator('matrix');
const gatewayDatabase = useTestDatabase('matrix_gateway');
const dkgDatabase = useTestDatabase('matrix_dkg');
const trackerDatabase = useTestDatabase('matrix_tracker');
const discoveryDatabase = useTestDatabase('matrix_discovery');
const redis = useTestRedis();

let gateway: RunningService;
/** The gateway's log lines: no secret may be among them. */
const logged: string[] = [];
const pools: Database[] = [];
const servers: Server[] = [];

const served = async (app: Hono<AppEnv>) => {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(started as Server),
    ) as Server;
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const migrated = async (url: string, service: string) => {
  const sql = createDatabase({ url, applicationName: 'matrix-test', max: 4 });
  pools.push(sql);
  await migrateService(sql, service);
  return sql;
};

beforeAll(async () => {
  const dkg = dkgApp(await migrated(dkgDatabase.url, 'dkg-manager'));
  const tracker = trackerApp(await migrated(trackerDatabase.url, 'performance-tracker'));
  const discovery = discoveryApp(await migrated(discoveryDatabase.url, 'venture-discovery'));
  gateway = await startService('aia-api', {
    env: {
      PORT: String(await findFreePort()),
      HOST: '127.0.0.1',
      ...testJwtEnv,
      DATABASE_URL: gatewayDatabase.url,
      REDIS_URL: redis.url,
      RATE_LIMIT_MAX: '100000',
      // Nothing here may open a breaker and turn a 403 into a 503.
      GATEWAY_BREAKER_FAILURES: '100',
      ECONOMIC_GOVERNOR_URL: running.governor.url,
      AGENT_ORCHESTRATOR_URL: await served(running.orchestrator.app),
      DKG_MANAGER_URL: await served(dkg.app),
      PERFORMANCE_TRACKER_URL: await served(tracker.app),
      VENTURE_DISCOVERY_URL: await served(discovery.app),
    },
    module: aiaApiModule,
    logDestination: new Writable({
      write: (chunk, _encoding, done) => {
        logged.push(String(chunk));
        done();
      },
    }),
  });
});
afterAll(async () => {
  await gateway?.stop();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  for (const sql of pools) await sql.end();
});

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The route called as `role`: path parameters made up, an empty JSON body on writes. */
async function call(method: string, path: string, role: (typeof ROLE_NAMES)[number]) {
  const token = await testToken({
    subject: `user:matrix-${role}`,
    scope: scopesOfRole(role).join(' '),
  });
  const res = await fetch(`${gateway.url}${path.replaceAll(/\{[^}]+\}/g, () => randomUUID())}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(WRITE_METHODS.has(method) ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(WRITE_METHODS.has(method) ? { body: '{}' } : {}),
    signal: AbortSignal.timeout(20_000),
  });
  // The status is all that matters; a stream's body is not waited for.
  await res.body?.cancel();
  return res.status;
}

describe('the authorization matrix (docs/authorization-matrix.json), through the gateway', () => {
  it('holds route by route: a role refused there gets 403, an allowed one gets past the scope check to an answer', async () => {
    const matrix = JSON.parse(await readFile(MATRIX_FILE, 'utf8')) as AuthorizationMatrix;
    const checked = matrix.routes.filter((route) => route.authenticated);
    expect(checked.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    for (const route of checked)
      for (const role of ROLE_NAMES) {
        const status = await call(route.method, route.path, role);
        const expected = route.access[role];
        const ok =
          expected === 'forbidden'
            ? status === 403
            : status !== 403 && status !== 401 && status < 500;
        if (!ok)
          wrong.push(`${route.method} ${route.path} as ${role}: ${status}, expected ${expected}`);
      }
    expect(wrong).toEqual([]);
  }, 300_000);
});

const asPerson = async (subject: string, scope: string) => ({
  Authorization: `Bearer ${await testToken({ subject, scope })}`,
});
const send = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);
const sendJson = (path: string, headers: Record<string, string>, body: unknown, method = 'POST') =>
  send(path, {
    method,
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('identities through the gateway, in front of the real services', () => {
  it('gives a machine client a token by client credentials that two services accept, within its role', async () => {
    const created = await sendJson(
      '/v1/auth/clients',
      await asPerson('user:root', scopesOfRole('administrator').join(' ')),
      {
        name: 'dashboard reader',
        role: 'viewer',
      },
    );
    expect(created.status).toBe(201);
    const { client_id, client_secret } = (await created.json()) as Record<string, string>;
    const issued = await send('/v1/auth/token', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(issued.status).toBe(200);
    const { access_token } = (await issued.json()) as { access_token: string };
    const bearer = { Authorization: `Bearer ${access_token}` };
    expect((await send('/v1/ledger/ledgers', { headers: bearer })).status).toBe(200);
    expect((await send('/v1/agents', { headers: bearer })).status).toBe(200);
    // A viewer changes nothing: the governor refuses the write (403), not the gateway's routing.
    expect((await sendJson('/v1/ledger/accounts', bearer, { ledger: 'AIA' })).status).toBe(403);
    for (const secret of [client_secret, access_token])
      expect(logged.join('')).not.toContain(secret);
  });

  it("lets a person's script call two services with an API key, as that person, until it is revoked", async () => {
    const person = await asPerson('user:grace', 'ledger:read ledger:write dkg:read dkg:write');
    const created = await sendJson('/v1/auth/api-keys', person, {
      name: 'bookkeeping script',
      scopes: ['ledger:read', 'ledger:write', 'dkg:read'],
      expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const { key, api_key } = (await created.json()) as { key: string; api_key: { id: string } };
    const withKey = { Authorization: `Bearer ${key}` };

    const opened = await sendJson(
      '/v1/ledger/accounts',
      { ...withKey, 'Idempotency-Key': randomUUID() },
      {
        ledger: 'AIA',
      },
    );
    expect(opened.status).toBe(201);
    // The governor saw the person (from the JWT the gateway minted for the key), not the key.
    expect(((await opened.json()) as { account: { owner: string } }).account.owner).toBe(
      'user:grace',
    );
    expect((await send('/v1/graph/search?q=anything', { headers: withKey })).status).toBe(200);
    // The key holds no dkg:write, though its owner does.
    expect(
      (await sendJson('/v1/graph/skills', withKey, { name: 'x', description: 'x' })).status,
    ).toBe(403);

    const revoked = await send(`/v1/auth/api-keys/${api_key.id}`, {
      method: 'DELETE',
      headers: person,
    });
    expect(revoked.status).toBe(200);
    const refused = await send('/v1/ledger/ledgers', { headers: withKey });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/revoked/);
    expect(logged.join('')).not.toContain(key.slice(21));
  });

  it('takes an API key on A2A too, where the orchestrator authenticates: it sees the minted JWT', async () => {
    const person = await asPerson('user:lin', 'agents:read agents:write');
    const created = await sendJson('/v1/auth/api-keys', person, {
      name: 'a2a script',
      scopes: ['agents:read', 'agents:write'],
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const { key } = (await created.json()) as { key: string };
    const listTasks = (authorization: string) =>
      sendJson(
        `/v1/a2a/agents/${randomUUID()}`,
        { Authorization: authorization, 'A2A-Version': '1.0' },
        { jsonrpc: '2.0', id: 1, method: 'ListTasks', params: {} },
      );
    // Past authentication to the orchestrator's own answer: the agent does not exist.
    const withKey = await listTasks(`Bearer ${key}`);
    expect(withKey.status).toBe(404);
    const withJwt = await listTasks(
      `Bearer ${await testToken({ subject: 'user:lin', scope: 'agents:write' })}`,
    );
    expect(withJwt.status).toBe(404);
    // A viewer's token (agents:read, no agents:write) is refused by the orchestrator's scope check.
    const viewer = await listTasks(
      `Bearer ${await testToken({ subject: 'user:lin', scope: scopesOfRole('viewer').join(' ') })}`,
    );
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { detail: string }).detail).toBe(
      'missing required scope(s): agents:write',
    );
    // A made-up key is the gateway's 401; it never reaches the orchestrator.
    const forged = await listTasks(`Bearer aia_${'0'.repeat(16)}_${'A'.repeat(43)}`);
    expect(forged.status).toBe(401);
    expect(logged.join('')).not.toContain(key.slice(21));
  });
});
