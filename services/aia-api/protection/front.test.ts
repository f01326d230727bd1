import { Hono } from 'hono';
import { every } from 'hono/combine';
import { describe, expect, it } from 'vitest';
import { testPublicKeys, testToken } from '../../../test/harness/jwt.js';
import { jsonOf, kitApp } from '../../../test/harness/kit-app.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { AppEnv } from '../../platform/types.js';
import { gatewayCors } from './cors.js';
import { crossSiteForms } from './cross-site-forms.js';
import { noCookieSessions } from './no-cookie-sessions.js';
import { limitRequestHead, REQUEST_HEAD_LIMITS } from './request-limits.js';

const GATEWAY = 'http://gateway.test';
const ALLOWED = 'https://app.aia.example';
const EVIL = 'https://evil.example';

/** What reached the API behind the checks: method, path and the headers it saw. */
const seen: { method: string; path: string; cookie: string | undefined }[] = [];
const api = new Hono<AppEnv>();
api.all('/*', (c) => {
  seen.push({ method: c.req.method, path: c.req.path, cookie: c.req.header('cookie') });
  return c.json({ ok: true }, 200, { 'Set-Cookie': 'session=upstream; HttpOnly' });
});

const verify = createJwtVerifier({
  publicKeys: testPublicKeys,
  issuer: 'aia-platform',
  audience: 'aia-platform',
});
const front = (allowedOrigins: readonly string[]) =>
  every(
    gatewayCors({ allowedOrigins }),
    noCookieSessions(),
    limitRequestHead(),
    crossSiteForms({ allowedOrigins }),
  );
const { app } = kitApp({
  routes: api,
  verify,
  // `/v1/a2a` is authenticated by its upstream, as on the gateway: a forged form reaches the
  // routes unless the cross-site check stops it.
  unauthenticatedApiPrefixes: ['/v1/a2a'],
  apiFront: front([ALLOWED]),
  bodyBytes: 1_048_576,
});
const bearer = async () => `Bearer ${await testToken({ subject: 'ada', scope: 'ledger:write' })}`;
const request = (path: string, init: RequestInit = {}) => app.request(`${GATEWAY}${path}`, init);

describe('CORS at the gateway', () => {
  it('answers a preflight from an allowed origin before any token is asked for', async () => {
    const res = await request('/v1/ledger/transfers', {
      method: 'OPTIONS',
      headers: {
        Origin: ALLOWED,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(res.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
    expect(res.headers.get('Vary')).toContain('Origin');
  });

  it('gives a preflight from an origin not listed no Allow header, so the browser refuses', async () => {
    const res = await request('/v1/ledger/transfers', {
      method: 'OPTIONS',
      headers: { Origin: EVIL, 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(res.headers.get('Access-Control-Allow-Methods')).toBeNull();
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it("puts the allowed origin on every answer, the kit's own 401 included, and exposes the rate headers", async () => {
    const refused = await request('/v1/ledger/accounts', { headers: { Origin: ALLOWED } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    const answered = await request('/v1/ledger/accounts', {
      headers: { Origin: ALLOWED, Authorization: await bearer() },
    });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(answered.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');
    const other = await request('/v1/ledger/accounts', {
      headers: { Origin: EVIL, Authorization: await bearer() },
    });
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('allows any origin under * (development), never with credentials', async () => {
    const { app: open } = kitApp({ routes: api, apiFront: front(['*']) });
    const res = await open.request(`${GATEWAY}/v1/anything`, {
      method: 'OPTIONS',
      headers: { Origin: EVIL, 'Access-Control-Request-Method': 'PUT' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it('leaves an OPTIONS that is not a preflight to authentication', async () => {
    const res = await request('/v1/ledger/accounts', {
      method: 'OPTIONS',
      headers: { Origin: ALLOWED },
    });
    expect(res.status).toBe(401);
  });
});

describe('cross-site forms', () => {
  it('refuses a forged cross-site form POST with a 403 problem, before it reaches a route', async () => {
    const before = seen.length;
    // What a page on evil.example makes a browser send with <form method=post action=...>.
    const res = await request('/v1/a2a/agents/root', {
      method: 'POST',
      headers: {
        Origin: EVIL,
        'Sec-Fetch-Site': 'cross-site',
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: 'session=stolen',
      },
      body: 'method=SendMessage&amount=1000',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = await jsonOf(res);
    expect(problem.type).toBe('urn:aia:problem:cross_site_request_refused');
    expect(problem.origin).toBe(EVIL);
    expect(seen.length).toBe(before);
  });

  it('refuses multipart and text/plain forms and a body without a content type the same way', async () => {
    for (const contentType of ['multipart/form-data; boundary=x', 'text/plain', undefined]) {
      const res = await request('/v1/a2a/agents/root', {
        method: 'POST',
        headers: { Origin: EVIL, ...(contentType ? { 'Content-Type': contentType } : {}) },
        body: 'x',
      });
      expect(res.status, String(contentType)).toBe(403);
    }
  });

  it('lets a form through from the gateway itself or an allowed origin, and JSON from anywhere CORS allows', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const sameOrigin = await request('/v1/a2a/agents/root', {
      method: 'POST',
      headers: { ...form, 'Sec-Fetch-Site': 'same-origin', Origin: GATEWAY },
      body: 'a=1',
    });
    expect(sameOrigin.status).toBe(200);
    const allowed = await request('/v1/a2a/agents/root', {
      method: 'POST',
      headers: { ...form, Origin: ALLOWED, 'Sec-Fetch-Site': 'cross-site' },
      body: 'a=1',
    });
    expect(allowed.status).toBe(200);
    // JSON needs a preflight, which CORS answers: no form can send it.
    const json = await request('/v1/a2a/agents/root', {
      method: 'POST',
      headers: { Origin: EVIL, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(200);
  });

  it("lets a program's form post through: no browser sends a POST without Origin", async () => {
    const res = await request('/v1/a2a/agents/root', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
  });
});

describe('cookies', () => {
  it('never lets a cookie reach a route, nor a Set-Cookie reach the caller', async () => {
    const res = await request('/v1/ledger/accounts', {
      headers: { Authorization: await bearer(), Cookie: 'session=abc' },
    });
    expect(res.status).toBe(200);
    expect(seen.at(-1)?.cookie).toBeUndefined();
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('does not authenticate a caller by cookie', async () => {
    const res = await request('/v1/ledger/accounts', {
      headers: { Cookie: `authorization=${await bearer()}` },
    });
    expect(res.status).toBe(401);
  });
});

describe('request-head limits per route class', () => {
  it('answers a URL over its class limit with 414 naming the limit, an A2A one sooner than a REST one', async () => {
    const path = (prefix: string, bytes: number) =>
      `${prefix}/${'x'.repeat(bytes - prefix.length - 1)}`;
    const a2aLimit = REQUEST_HEAD_LIMITS.a2a.urlBytes;
    const tooLong = await request(path('/v1/a2a/agents', a2aLimit + 1), { method: 'GET' });
    expect(tooLong.status).toBe(414);
    const problem = await jsonOf(tooLong);
    expect(problem).toMatchObject({
      type: 'urn:aia:problem:uri_too_long',
      title: 'URI Too Long',
      limitBytes: a2aLimit,
      routeClass: 'a2a',
    });
    expect(problem.detail).toContain(String(a2aLimit));
    const rest = await request(path('/v1/ledger/accounts', a2aLimit + 1), {
      headers: { Authorization: await bearer() },
    });
    expect(rest.status).toBe(200);
    const restLimit = REQUEST_HEAD_LIMITS.api.urlBytes;
    expect((await request(path('/v1/ledger/accounts', restLimit + 1))).status).toBe(414);
  });

  it('answers headers over the limit with 431 before reading the token', async () => {
    const limit = REQUEST_HEAD_LIMITS.api.headerBytes;
    const res = await request('/v1/ledger/accounts', {
      headers: { Authorization: 'Bearer not-even-a-token', 'X-Padding': 'p'.repeat(limit) },
    });
    expect(res.status).toBe(431);
    expect(await jsonOf(res)).toMatchObject({
      type: 'urn:aia:problem:headers_too_large',
      title: 'Request Header Fields Too Large',
      limitBytes: limit,
      routeClass: 'api',
    });
    const justUnder = await request('/v1/ledger/accounts', {
      headers: { Authorization: await bearer(), 'X-Padding': 'p'.repeat(limit / 2) },
    });
    expect(justUnder.status).toBe(200);
  });
});
