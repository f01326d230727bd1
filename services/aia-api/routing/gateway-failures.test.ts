import { type IncomingHttpHeaders, request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testJwtEnv, testToken } from '../../../test/harness/jwt.js';
import { findFreePort } from '../../../tools/local-servers/index.js';
import { type RunningService, startService } from '../../platform/runtime.js';
import { aiaApiModule } from '../module.js';
import { startScriptedUpstream } from '../testing/scripted-upstream.js';

const TIMEOUT_MS = 300;
const BREAKER_FAILURES = 5;
const HALF_OPEN_MS = 600;

// The gateway's own PostgreSQL (identities, the audit chain), as a deployed one has.
const database = useTestDatabase('gateway_failures');
let upstream: Awaited<ReturnType<typeof startScriptedUpstream>>;
let gateway: RunningService;
let downPort: number;
let bearer: string;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  downPort = await findFreePort();
  gateway = await startService('aia-api', {
    env: {
      PORT: String(await findFreePort()),
      HOST: '127.0.0.1',
      ...testJwtEnv,
      DATABASE_URL: database.url,
      ECONOMIC_GOVERNOR_URL: upstream.url,
      AGENT_ORCHESTRATOR_URL: upstream.url,
      // Nothing listens here until the breaker test starts a server.
      PERFORMANCE_TRACKER_URL: `http://127.0.0.1:${downPort}`,
      GATEWAY_TIMEOUT_MS: String(TIMEOUT_MS),
      GATEWAY_BREAKER_FAILURES: String(BREAKER_FAILURES),
      GATEWAY_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    },
    module: aiaApiModule,
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  bearer = `Bearer ${await testToken({ subject: 'ada', scope: 'ledger:read' })}`;
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.stop();
});

const call = (
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
  redirect: RequestInit['redirect'] = 'follow',
) =>
  fetch(`${gateway.url}${path}`, {
    method,
    headers: { Authorization: bearer, ...headers },
    redirect,
    ...(body === undefined ? {} : { body }),
  });

/** A GET sent with exactly these headers. */
const rawGet = (url: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const sent = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    sent.on('error', reject);
    sent.end();
  });

/** A problem the gateway made: its type, Retry-After, and no address or stack in it. */
async function gatewayProblem(res: Response) {
  const text = await res.text();
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  expect(text).not.toMatch(/127\.0\.0\.1|10\.1\.2\.3|ECONN|\bat \S+:\d+|\/srv\/|node_modules/);
  return JSON.parse(text) as { type: string; status: number; detail: string; requestId: string };
}

// A success between scenarios closes the scripted upstream's breaker count.
beforeEach(async () => {
  expect((await call('GET', '/v1/ledger/echo')).status).toBe(200);
});

describe('the gateway in front of a misbehaving upstream', () => {
  it('forwards the request id, trace context, bearer token and forwarding headers, never hop-by-hop ones', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    // node:http, since fetch sends no Connection header of the caller's choosing.
    const res = await rawGet(`${gateway.url}/v1/ledger/echo?x=1`, {
      Authorization: bearer,
      'X-Request-Id': 'req-gateway-1',
      traceparent,
      Connection: 'keep-alive, X-Hop',
      'X-Hop': 'secret',
      'Proxy-Authorization': 'Basic c2VjcmV0',
      'X-Forwarded-For': '203.0.113.9',
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-gateway-1');
    // The upstream's Connection and the header it names stay on the upstream's side.
    expect(res.headers['x-secret']).toBeUndefined();
    const seen = JSON.parse(res.body) as { path: string; headers: Record<string, string> };
    expect(seen.path).toBe('/v1/echo');
    expect(seen.headers['x-request-id']).toBe('req-gateway-1');
    expect(seen.headers.traceparent).toBe(traceparent);
    expect(seen.headers.authorization).toBe(bearer);
    expect(seen.headers['x-hop']).toBeUndefined();
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    expect(seen.headers.host).toBe(new URL(upstream.url).host);
    expect(seen.headers['x-forwarded-host']).toBe(new URL(gateway.url).host);
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    // No proxy is trusted here: a chain the caller sent is not believed.
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it("passes an upstream's redirect on to the caller unchanged, never following it itself", async () => {
    const res = await call('GET', '/v1/ledger/redirect', {}, undefined, 'manual');
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(`${upstream.url}/followed/echo`);
    expect(upstream.seen.map((seen) => seen.path)).not.toContain('/followed/echo');
  });

  it("passes an upstream 4xx problem document through, naming the caller's path as its instance", async () => {
    const res = await call(
      'POST',
      '/v1/ledger/conflict?x=1',
      { 'Content-Type': 'application/json' },
      '{}',
    );
    expect(res.status).toBe(409);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    // The upstream named its own path (/v1/conflict?x=1), which the caller never asked.
    expect(upstream.seen.at(-1)?.path).toBe('/v1/conflict');
    expect(await res.json()).toEqual({
      type: 'urn:aia:problem:conflict',
      status: 409,
      detail: 'taken',
      instance: '/v1/ledger/conflict',
    });
  });

  it("answers an upstream's 500 with a 502 problem that keeps nothing of its body", async () => {
    const res = await call('GET', '/v1/ledger/boom', { 'X-Request-Id': 'req-boom' });
    expect(res.status).toBe(502);
    const problem = await gatewayProblem(res);
    expect(problem.type).toBe('urn:aia:problem:bad_gateway');
    expect(problem.requestId).toBe('req-boom');
    expect(problem.detail).toBe('economic-governor failed to answer this request');
  });

  it('answers 504 when the upstream is slower than the route class allows', async () => {
    const started = Date.now();
    const res = await call('POST', '/v1/ledger/slow', { 'Content-Type': 'application/json' }, '{}');
    expect(res.status).toBe(504);
    expect((await gatewayProblem(res)).type).toBe('urn:aia:problem:upstream_timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('retries a GET after a connection reset, and answers it', async () => {
    const res = await call('GET', '/v1/ledger/reset-once/get-1');
    expect(res.status).toBe(200);
    expect(upstream.hits('reset-once/get-1')).toBe(2);
  });

  it('never retries a POST without an Idempotency-Key', async () => {
    const res = await call(
      'POST',
      '/v1/ledger/reset-once/post-1',
      { 'Content-Type': 'application/json' },
      '{"a":1}',
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('1');
    expect((await gatewayProblem(res)).type).toBe('urn:aia:problem:upstream_unavailable');
    expect(upstream.hits('reset-once/post-1')).toBe(1);
  });

  it('retries a POST with an Idempotency-Key where the upstream replays keys, resending its body', async () => {
    const res = await call(
      'POST',
      '/v1/ledger/reset-once/post-2',
      { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' },
      '{"a":2}',
    );
    expect(res.status).toBe(200);
    expect(upstream.hits('reset-once/post-2')).toBe(2);
    expect(((await res.json()) as { body: string }).body).toBe('{"a":2}');
  });

  it("does not retry a keyed POST where the upstream does not replay keys (the orchestrator's tasks)", async () => {
    const res = await call(
      'POST',
      '/v1/tasks/reset-once/post-3',
      { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-2' },
      '{}',
    );
    expect(res.status).toBe(503);
    expect(upstream.hits('reset-once/post-3')).toBe(1);
  });

  it('streams an event stream as it comes, not when it ends', async () => {
    const res = await call('GET', '/v1/ledger/sse', { Accept: 'text/event-stream' });
    expect(res.headers.get('Content-Type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
    upstream.releaseSecondEvent();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('data: second\n\n');
  });

  it('refuses a body over the route class limit before it reaches the upstream', async () => {
    const before = upstream.seen.length;
    const res = await call(
      'POST',
      '/v1/ledger/echo',
      { 'Content-Type': 'application/json' },
      'x'.repeat(1_048_577),
    );
    expect(res.status).toBe(413);
    expect(upstream.seen.length).toBe(before);
  });
});

describe('an upstream that is down: 503, the breaker opening, then half-open', () => {
  const metric = async (name: string) => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('answers 503 with Retry-After, opens after the configured failures, lets one through after the pause', async () => {
    for (let failure = 0; failure < BREAKER_FAILURES; failure++) {
      const res = await call(
        'POST',
        '/v1/performance/runs',
        { 'Content-Type': 'application/json' },
        '{}',
      );
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect((await gatewayProblem(res)).type).toBe('urn:aia:problem:upstream_unavailable');
    }
    const upstreamLabel = 'upstream="performance-tracker"';
    expect(await metric(`gateway_upstream_breaker_state{${upstreamLabel}`)).toBe(2);
    expect(
      await metric(
        `gateway_upstream_requests_total{upstream="performance-tracker",code="unreachable"`,
      ),
    ).toBe(BREAKER_FAILURES);

    // Open: refused at once, without an attempt.
    const refused = await call('GET', '/v1/performance/runs');
    expect(refused.status).toBe(503);
    expect(
      await metric(
        `gateway_upstream_requests_total{upstream="performance-tracker",code="circuit_open"`,
      ),
    ).toBe(1);

    // The service comes back; after the pause one request goes through and closes the breaker.
    const back = await startScriptedUpstream();
    const { createServer } = await import('node:http');
    const revived = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((resolve) => revived.listen(downPort, '127.0.0.1', resolve));
    await back.stop();
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_MS + 100));
    const through = await call('GET', '/v1/performance/runs');
    expect(through.status).toBe(200);
    expect(await metric(`gateway_upstream_breaker_state{${upstreamLabel}`)).toBe(0);
    await new Promise<void>((resolve) => revived.close(() => resolve()));
  });
});
