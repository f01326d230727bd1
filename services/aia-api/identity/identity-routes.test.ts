import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testToken } from '../../../test/harness/jwt.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { identityApp, upstreamVerifier } from '../testing/identity-app.js';
import { scopesOfRole } from './roles.js';

const database = useTestDatabase('gateway_identity');
const redis = useTestRedis();
let sql: Database;
let gateway: ReturnType<typeof identityApp>;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'identity-test', max: 4 });
  await migrateService(sql, 'aia-api');
  gateway = identityApp({ sql, redisUrl: redis.url, redisKeyPrefix: redis.keyPrefix });
});
afterAll(async () => {
  await gateway?.close();
  await sql?.end();
});

const ALL = scopesOfRole('administrator').join(' ');
const bearer = async (subject: string, scope: string) => ({
  Authorization: `Bearer ${await testToken({ subject, scope })}`,
});
const post = async (path: string, headers: Record<string, string>, body: unknown) =>
  gateway.app.request(`/v1${path}`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

interface CreatedClient {
  client_id: string;
  client_secret: string;
  scope: string;
}
const createClient = async (body: Record<string, unknown>, scope = ALL) => {
  const res = await post('/auth/clients', await bearer('user:root', scope), body);
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
  return (await res.json()) as CreatedClient;
};
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const tokenRequest = (body: string, headers: Record<string, string> = {}) =>
  gateway.app.request('/v1/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('machine clients', () => {
  it('shows a new client its secret once and keeps only a salted scrypt hash of it', async () => {
    const client = await createClient({ name: 'nightly payouts', role: 'treasurer' });
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.scope.split(' ')).toEqual([...scopesOfRole('treasurer')]);
    const [row] = await sql<{ secret_hash: string }[]>`
      select secret_hash from oauth_clients where id = ${client.client_id}`;
    expect(row?.secret_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const table = JSON.stringify(await sql`select * from oauth_clients`);
    expect(table).not.toContain(client.client_secret);
    expect(gateway.logs.text).not.toContain(client.client_secret);
    const other = await createClient({ name: 'same secret twice?', role: 'treasurer' });
    expect(other.client_secret).not.toBe(client.client_secret);
    const revoked = await gateway.app.request(`/v1/auth/clients/${client.client_id}`, {
      method: 'DELETE',
      headers: await bearer('user:root', ALL),
    });
    expect(revoked.status).toBe(200);
    expect(JSON.stringify(await revoked.json())).not.toMatch(/secret/);
  });

  it('is created by administrators only, with no scope its creator lacks', async () => {
    const body = { name: 'ops bot', role: 'treasurer' };
    const viewer = await post('/auth/clients', await bearer('user:ada', 'ledger:read'), body);
    expect(viewer.status).toBe(403);
    const partial = await post(
      '/auth/clients',
      await bearer('user:ada', 'identities:admin ledger:read'),
      body,
    );
    expect(partial.status).toBe(403);
    expect((await json(partial)).refusedScopes).toEqual(
      expect.arrayContaining(['ledger:write', 'treasury:admin']),
    );
    const machine = await post('/auth/clients', await bearer('client:someone', ALL), body);
    expect(machine.status).toBe(403);
  });

  it('refuses a body naming both a role and scopes, an unknown role, or an unknown scope (422 by field)', async () => {
    const headers = await bearer('user:root', ALL);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', role: 'viewer', scopes: ['ledger:read'] }, 'role'],
      [{ name: 'x' }, 'role'],
      [{ name: 'x', role: 'superuser' }, 'role'],
      [{ name: 'x', scopes: ['ledger:read', 'root:everything'] }, 'scopes.1'],
      [{ name: '', role: 'viewer' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/auth/clients', headers, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const errors = (await json(res)).errors as { field: string }[];
      expect(
        errors.map((e) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
  });
});

describe('POST /v1/auth/token (client credentials)', () => {
  let client: CreatedClient;
  beforeAll(async () => {
    client = await createClient({ name: 'agent runner', role: 'agent-operator' });
  });

  it('answers an ES256 token the services accept, with the client as subject, its scopes and a jti', async () => {
    const res = await tokenRequest(form({ grant_type: 'client_credentials' }), {
      Authorization: basic(client.client_id, client.client_secret),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
    };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(900);
    expect(body.scope).toBe(client.scope);
    const principal = await upstreamVerifier()(body.access_token);
    expect(principal.subject).toBe(`client:${client.client_id}`);
    expect([...principal.scopes].sort().join(' ')).toBe(client.scope);
    const payload = JSON.parse(
      Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.exp - payload.iat).toBe(900);
  });

  it('takes the credentials in the body as well, and narrows the token to the scope asked for', async () => {
    const res = await tokenRequest(
      form({
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
        scope: 'agents:read',
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; scope: string };
    expect(body.scope).toBe('agents:read');
    expect([...(await upstreamVerifier()(body.access_token)).scopes]).toEqual(['agents:read']);
  });

  it('answers each refusal as RFC 6749 5.2 has it', async () => {
    const good = {
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
    };
    const cases: [string, Record<string, string>, number, string][] = [
      ['a scope the client lacks', { ...good, scope: 'ledger:write' }, 400, 'invalid_scope'],
      ['a wrong secret', { ...good, client_secret: 'x'.repeat(43) }, 401, 'invalid_client'],
      [
        'an unknown client',
        { ...good, client_id: '00000000-0000-4000-8000-000000000000' },
        401,
        'invalid_client',
      ],
      ['a client id that is no id', { ...good, client_id: 'nobody' }, 401, 'invalid_client'],
      ['no client authentication', { grant_type: 'client_credentials' }, 401, 'invalid_client'],
      ['another grant', { ...good, grant_type: 'password' }, 400, 'unsupported_grant_type'],
      [
        'no grant type',
        { client_id: good.client_id, client_secret: good.client_secret },
        400,
        'invalid_request',
      ],
    ];
    for (const [what, fields, status, error] of cases) {
      const res = await tokenRequest(form(fields));
      expect(res.status, what).toBe(status);
      expect(((await res.json()) as { error: string }).error, what).toBe(error);
    }
    const twice = await tokenRequest(`${form(good)}&grant_type=client_credentials`);
    expect([twice.status, ((await twice.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_request',
    ]);
    const both = await tokenRequest(form(good), {
      Authorization: basic(client.client_id, client.client_secret),
    });
    expect([both.status, ((await both.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_request',
    ]);
    const asJson = await gateway.app.request('/v1/auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(good),
    });
    expect([asJson.status, ((await asJson.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_request',
    ]);
    const wrongBasic = await tokenRequest(form({ grant_type: 'client_credentials' }), {
      Authorization: basic(client.client_id, 'wrong'),
    });
    expect(wrongBasic.status).toBe(401);
    expect(wrongBasic.headers.get('WWW-Authenticate')).toMatch(/^Basic /);
  });

  it('gives a revoked client no more tokens', async () => {
    const doomed = await createClient({ name: 'doomed', role: 'viewer' });
    const ask = () =>
      tokenRequest(form({ grant_type: 'client_credentials' }), {
        Authorization: basic(doomed.client_id, doomed.client_secret),
      });
    expect((await ask()).status).toBe(200);
    await gateway.app.request(`/v1/auth/clients/${doomed.client_id}`, {
      method: 'DELETE',
      headers: await bearer('user:root', ALL),
    });
    const refused = await ask();
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([
      401,
      'invalid_client',
    ]);
  });

  it('rate-limits token requests per client address', async () => {
    const limited = identityApp({
      sql,
      redisUrl: redis.url,
      redisKeyPrefix: `${redis.keyPrefix}limited:`,
      tokenRequestsPerMinute: 3,
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (
            await limited.app.request('/v1/auth/token', {
              method: 'POST',
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body: form({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }),
            })
          ).status,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

interface CreatedKey {
  key: string;
  api_key: { id: string; scopes: string[]; status: string; last_used_at: string | null };
}
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const createKey = async (subject: string, scope: string, body: Record<string, unknown>) =>
  post('/auth/api-keys', await bearer(subject, scope), body);
const upstreamWith = (key: string) =>
  gateway.app.request('/v1/upstream', { headers: { Authorization: `Bearer ${key}` } });

describe('API keys', () => {
  it('is shown once, listed without its secret, and stands for its owner with its scopes', async () => {
    const res = await createKey('user:ada', 'ledger:read ledger:write dkg:read', {
      name: 'reporting script',
      scopes: ['ledger:read', 'dkg:read'],
      expires_at: inDays(30),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedKey;
    expect(created.key).toMatch(/^aia_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.slice(4, 20)).toBe(created.api_key.id);
    expect(created.api_key.status).toBe('active');
    const secret = created.key.slice(21);
    const table = JSON.stringify(await sql`select * from api_keys`);
    expect(table).not.toContain(secret);

    const listed = await gateway.app.request('/v1/auth/api-keys', {
      headers: await bearer('user:ada', ''),
    });
    const text = await listed.text();
    expect(listed.status).toBe(200);
    expect(text).toContain(created.api_key.id);
    expect(text).not.toContain(secret);
    const others = await gateway.app.request('/v1/auth/api-keys', {
      headers: await bearer('user:bob', ''),
    });
    expect(await others.text()).not.toContain(created.api_key.id);

    const used = await upstreamWith(created.key);
    expect(used.status).toBe(200);
    const seen = (await used.json()) as {
      authorization: string;
      subject: string;
      scopes: string[];
    };
    expect(seen.subject).toBe('user:ada');
    expect(seen.scopes).toEqual(['dkg:read', 'ledger:read']);
    // What the upstream gets is a JWT of the issuer for the key's owner and scopes, not the key.
    expect(seen.authorization).not.toContain(secret);
    const upstream = await upstreamVerifier()(seen.authorization.replace(/^Bearer /, ''));
    expect(upstream.subject).toBe('user:ada');
    expect([...upstream.scopes].sort()).toEqual(['dkg:read', 'ledger:read']);
    expect(gateway.logs.text).not.toContain(secret);
  });

  it('records its last use at most once a minute', async () => {
    const { key, api_key } = (await (
      await createKey('user:ada', 'ledger:read', {
        name: 'cron',
        scopes: ['ledger:read'],
        expires_at: inDays(1),
      })
    ).json()) as CreatedKey;
    const lastUsed = async () =>
      (
        await sql<
          { last_used_at: Date | null }[]
        >`select last_used_at from api_keys where id = ${api_key.id}`
      )[0]?.last_used_at;
    expect(await lastUsed()).toBeNull();
    await upstreamWith(key);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await upstreamWith(key);
    await upstreamWith(key);
    expect(await lastUsed()).toEqual(first);
    await sql`update api_keys set last_used_at = now() - interval '2 minutes' where id = ${api_key.id}`;
    const aged = await lastUsed();
    await upstreamWith(key);
    expect((await lastUsed())?.getTime()).toBeGreaterThan(aged?.getTime() ?? 0);
    const listed = (await (
      await gateway.app.request('/v1/auth/api-keys', { headers: await bearer('user:ada', '') })
    ).json()) as { api_keys: CreatedKey['api_key'][] };
    expect(listed.api_keys.find((k) => k.id === api_key.id)?.last_used_at).not.toBeNull();
  });

  it('is refused the moment it is revoked, and once it has expired', async () => {
    const { key, api_key } = (await (
      await createKey('user:ada', 'ledger:read', {
        name: 'leaked',
        scopes: ['ledger:read'],
        expires_at: inDays(1),
      })
    ).json()) as CreatedKey;
    expect((await upstreamWith(key)).status).toBe(200);
    const revoked = await gateway.app.request(`/v1/auth/api-keys/${api_key.id}`, {
      method: 'DELETE',
      headers: await bearer('user:ada', ''),
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as CreatedKey).api_key.status).toBe('revoked');
    const after = await upstreamWith(key);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { detail: string }).detail).toMatch(/revoked/);

    const old = (await (
      await createKey('user:ada', 'ledger:read', {
        name: 'old',
        scopes: ['ledger:read'],
        expires_at: inDays(1),
      })
    ).json()) as CreatedKey;
    expect((await upstreamWith(old.key)).status).toBe(200);
    await sql`update api_keys set created_at = now() - interval '2 days', expires_at = now() - interval '1 second'
              where id = ${old.api_key.id}`;
    const expired = await upstreamWith(old.key);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { detail: string }).detail).toMatch(/expired/);
  });

  it('refuses a wrong secret, a malformed key, and another person revoking it', async () => {
    const { key, api_key } = (await (
      await createKey('user:ada', 'ledger:read', {
        name: 'mine',
        scopes: ['ledger:read'],
        expires_at: inDays(1),
      })
    ).json()) as CreatedKey;
    const forged = `${key.slice(0, 21)}${'A'.repeat(43)}`;
    expect((await upstreamWith(forged)).status).toBe(401);
    expect((await upstreamWith('aia_nonsense')).status).toBe(401);
    const byBob = await gateway.app.request(`/v1/auth/api-keys/${api_key.id}`, {
      method: 'DELETE',
      headers: await bearer('user:bob', ALL),
    });
    expect(byBob.status).toBe(404);
    expect((await upstreamWith(key)).status).toBe(200);
  });

  it('holds only scopes its owner has, expires within 365 days, and is made by people with tokens', async () => {
    const body = { name: 'k', scopes: ['ledger:read'], expires_at: inDays(30) };
    const beyond = await createKey('user:ada', 'dkg:read', body);
    expect(beyond.status).toBe(403);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...body, expires_at: inDays(366) }, 'expires_at'],
      [{ ...body, expires_at: inDays(-1) }, 'expires_at'],
      [{ name: 'k', scopes: ['ledger:read'] }, 'expires_at'],
      [{ ...body, scopes: [] }, 'scopes'],
      [{ ...body, expires_at: 'tomorrow' }, 'expires_at'],
    ];
    for (const [invalid, field] of cases) {
      const res = await createKey('user:ada', 'ledger:read', invalid);
      expect(res.status, JSON.stringify(invalid)).toBe(422);
      expect(((await json(res)).errors as { field: string }[]).map((e) => e.field)).toContain(
        field,
      );
    }
    expect((await createKey('client:bot', 'ledger:read', body)).status).toBe(403);
    const { key } = (await (await createKey('user:ada', 'ledger:read', body)).json()) as CreatedKey;
    const byKey = await post('/auth/api-keys', { Authorization: `Bearer ${key}` }, body);
    expect(byKey.status).toBe(403);
  });
});
