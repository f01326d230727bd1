import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../services/aia-api/docs-page/merge-openapi.js';
import { usePlatformBehindGateway } from '../../services/aia-api/testing/platform-behind-gateway.js';
import { testJwtEnv, testServiceKeys, testToken } from '../harness/jwt.js';
import { badTokens } from './bad-tokens.js';
import { changedTables, type Fingerprint, fingerprint } from './database-fingerprint.js';
import { type CorpusOperation, malformedCases } from './malformed-corpus.js';

/**
 * The security suite of issue 20: every route of every service, reached through the gateway,
 * fed malformed input and bad tokens. Never a 5xx, never a change to any service's data, and no
 * secret in any log line of the whole run.
 */
const platform = await usePlatformBehindGateway('security', {
  gatewayEnv: { RATE_LIMIT_MAX: '10000000', LOG_LEVEL: 'debug' },
});
const BODY_LIMIT = 1_048_576;
/** Every scope a service checks: the corpus must get past authorization to reach validation. */
const ALL_SCOPES = [
  'ledger:read',
  'ledger:write',
  'treasury:admin',
  'agents:read',
  'agents:write',
  'agents:admin',
  'dkg:read',
  'dkg:write',
  'performance:read',
  'performance:admin',
  'ventures:read',
  'ventures:write',
  'identities:admin',
].join(' ');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The operations of the merged document, and whether each declares a bearer requirement. */
let operations: (CorpusOperation & { readonly secured: boolean })[] = [];
let token: string;
let before: Record<string, Fingerprint> = {};
/**
 * Tables that change on their own (leases, schedules, heartbeats), left out of the comparison:
 * those seen changing while nothing was sent, and these, which change on a slower clock or by
 * design: pg-boss's bookkeeping of its queues and of its maintenance (its version row records
 * when maintenance last ran), and the gateway's audit chain, which records every state-changing
 * call, the refused ones too.
 */
const restless = new Set<string>([
  'agent-orchestrator pgboss.instance',
  'agent-orchestrator pgboss.queue',
  'agent-orchestrator pgboss.version',
  'aia-api public.audit_records',
]);
const serverErrors: string[] = [];

const fingerprints = async () =>
  Object.fromEntries(
    await Promise.all(
      Object.entries(platform.databaseUrls).map(
        async ([service, url]) => [service, await fingerprint(url)] as const,
      ),
    ),
  );

/** Sends one request through the gateway and records any 5xx (or a connection the gateway dropped). */
async function probe(label: string, path: string, init: RequestInit & { method: string }) {
  try {
    const response = await fetch(`${platform.gateway.url}${path}`, init);
    await response.arrayBuffer();
    if (response.status >= 500) serverErrors.push(`${label}: ${response.status}`);
    return response.status;
  } catch (error) {
    // The server may close the connection after refusing an oversized request (413/431).
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause !== 'UND_ERR_SOCKET' && cause !== 'ECONNRESET' && cause !== 'EPIPE')
      serverErrors.push(`${label}: ${(error as Error).message} (${cause})`);
    return undefined;
  }
}

beforeAll(async () => {
  token = await testToken({ subject: 'user:mallory', scope: ALL_SCOPES });
  const document = (await (
    await fetch(`${platform.gateway.url}/v1/openapi.json`)
  ).json()) as OpenApiDocument;
  for (const [path, item] of Object.entries(document.paths ?? {}))
    for (const [method, raw] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const operation = raw as {
        parameters?: { in: string; name: string }[];
        security?: unknown[];
        requestBody?: { content?: Record<string, { schema?: { properties?: object } }> };
      };
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        queryNames: (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => parameter.name),
        bodyProperties: Object.keys(schema?.properties ?? {}),
        secured: (operation.security?.length ?? 0) > 0,
      });
    }
  const first = await fingerprints();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  before = await fingerprints();
  for (const [service, tables] of Object.entries(before))
    for (const table of changedTables(first[service] ?? {}, tables))
      restless.add(`${service} ${table}`);
}, 60_000);

afterAll(() => {
  operations = [];
});

describe('malformed input through the gateway, over every route of every service', () => {
  it('covers the routes of every service', () => {
    const prefixes = new Set(operations.map((operation) => operation.path.split('/')[2]));
    for (const prefix of ['ledger', 'agents', 'graph', 'performance', 'whoami'])
      expect(prefixes, prefix).toContain(prefix);
    expect(operations.length).toBeGreaterThan(50);
  });

  it('answers every malformed request with a 4xx, never a 5xx', async () => {
    let sent = 0;
    for (const operation of operations) {
      for (const { name, path, init } of malformedCases(operation, BODY_LIMIT)) {
        const headers = {
          ...(init.headers as Record<string, string>),
          Authorization: `Bearer ${token}`,
        };
        await probe(`${operation.method} ${operation.path} ${name}`, path, {
          ...init,
          method: operation.method,
          headers,
        });
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(500);
    expect(serverErrors).toEqual([]);
  }, 600_000);

  it('refuses every bad token on every authenticated route with 401', async () => {
    const tokens = await badTokens(ALL_SCOPES);
    const accepted: string[] = [];
    for (const operation of operations) {
      const path = operation.path.replaceAll(/\{[^}]+\}/g, 'x');
      // Routes without a bearer requirement (the token endpoint: client credentials) are not here.
      if (!operation.secured) continue;
      for (const [name, bad] of Object.entries(tokens)) {
        const status = await probe(`${operation.method} ${path} token ${name}`, path, {
          method: operation.method,
          headers: { Authorization: `Bearer ${bad}`, 'Content-Type': 'application/json' },
          ...(operation.method === 'GET' || operation.method === 'DELETE' ? {} : { body: '{}' }),
        });
        if (status !== 401) accepted.push(`${operation.method} ${path} with ${name}: ${status}`);
      }
    }
    expect(accepted).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(operations.filter((operation) => operation.secured).length).toBeGreaterThan(50);
  }, 600_000);

  it('refuses oversized and odd headers without a 5xx', async () => {
    const statuses = [
      await probe('a 100 kB header', '/v1/whoami', {
        method: 'GET',
        headers: { Authorization: `Bearer ${token}`, 'X-Big': 'h'.repeat(100_000) },
      }),
      await probe('a 20 kB bearer token', '/v1/whoami', {
        method: 'GET',
        headers: { Authorization: `Bearer ${'t'.repeat(20_000)}` },
      }),
      await probe('a 9 kB URL', `/v1/ledger/accounts/${'u'.repeat(9_000)}`, {
        method: 'GET',
        headers: { Authorization: `Bearer ${token}` },
      }),
    ];
    for (const status of statuses) if (status !== undefined) expect(status).toBeLessThan(500);
    expect(serverErrors).toEqual([]);
  });

  it('changed no service’s data', async () => {
    const after = await fingerprints();
    const changed = Object.entries(after).flatMap(([service, tables]) =>
      changedTables(before[service] ?? {}, tables)
        .map((table) => `${service} ${table}`)
        .filter((table) => !restless.has(table)),
    );
    expect(changed).toEqual([]);
  });
});

/**
 * The gateway's identity secrets in use, as a run sees them: a machine client created, its token
 * by client credentials used, a wrong secret tried; an API key created, used, refused on a bad
 * request, and a wrong key tried. Answers the secrets that went by.
 */
async function identitySecretsInUse(): Promise<Record<string, string>> {
  const gateway = platform.gateway.url;
  const post = async (path: string, bearer: string, body: object) =>
    (await fetch(`${gateway}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).then((response) => response.json())) as Record<string, string>;
  const read = (path: string, bearer: string) =>
    fetch(`${gateway}${path}`, { headers: { Authorization: `Bearer ${bearer}` } }).then(
      (response) => response.status,
    );
  const grant = (clientId: string, clientSecret: string) =>
    fetch(`${gateway}/v1/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
    }).then((response) => response.json() as Promise<Record<string, string>>);

  const admin = await testToken({ subject: 'user:root', scope: 'identities:admin ledger:read' });
  const client = await post('/v1/auth/clients', admin, {
    name: 'log scan',
    scopes: ['ledger:read'],
  });
  const clientSecret = client.client_secret ?? '';
  const { access_token: access = '' } = await grant(client.client_id ?? '', clientSecret);
  await grant(client.client_id ?? '', `${clientSecret}x`);
  expect(await read('/v1/ledger/ledgers', access)).toBe(200);

  const person = await testToken({ subject: 'user:lee', scope: 'ledger:read' });
  const { key = '' } = await post('/v1/auth/api-keys', person, {
    name: 'log scan',
    scopes: ['ledger:read'],
    expires_at: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(await read('/v1/ledger/ledgers', key)).toBe(200);
  expect(await read('/v1/ledger/accounts/not-an-id', key)).toBe(422);
  // The last character changed for another (a fixed "x" kept a key that ends in x intact).
  expect(
    await read('/v1/ledger/ledgers', `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`),
  ).toBe(401);
  return {
    "a machine client's secret": clientSecret,
    "a client credentials token's signature": access.split('.')[2] ?? '',
    "an API key's secret": key.slice('aia_0123456789abcdef_'.length),
  };
}

describe('secrets in the logs of the whole run', () => {
  it('never logs a key, a secret or a bearer token', async () => {
    const identities = await identitySecretsInUse();
    const logs = platform.logs();
    expect(logs.length).toBeGreaterThan(10_000);
    const secrets: Record<string, string> = {
      'the issuer key': testJwtEnv.JWT_SIGNING_KEY.split('\n')[1] ?? '',
      'a bearer token': token,
      "a bearer token's signature": token.split('.')[2] ?? '',
      ...identities,
    };
    expect(Object.values(identities).every((secret) => secret.length >= 16)).toBe(true);
    for (const [service, key] of Object.entries(testServiceKeys))
      secrets[`${service}'s signing key`] = key.split('\n')[1] ?? '';
    const found = Object.entries(secrets)
      .filter(([, value]) => value.length >= 16 && logs.includes(value))
      .map(([name]) => name);
    expect(found).toEqual([]);
  });
});
