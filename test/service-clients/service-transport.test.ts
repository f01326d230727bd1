import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { requestId } from 'hono/request-id';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CircuitState,
  ServiceProblemError,
  type ServiceTransportOptions,
  ServiceUnavailableError,
  serviceTransport,
} from '../../services/platform/service-client/index.js';
import type { AppEnv } from '../../services/platform/types.js';
import { startFlakyUpstream } from './flaky-upstream.js';

let upstream: Awaited<ReturnType<typeof startFlakyUpstream>>;
beforeAll(async () => {
  upstream = await startFlakyUpstream();
});
afterAll(() => upstream?.stop());
beforeEach(() => {
  upstream.seen.length = 0;
  upstream.script();
});

const transport = (options: Partial<ServiceTransportOptions> = {}) =>
  serviceTransport({
    service: 'flaky',
    baseUrl: upstream.url,
    tokens: async (audience, scopes) => `token-for-${audience}-${scopes.join('+')}`,
    scopes: ['ledger:read'],
    initialBackoffMs: 1,
    maxBackoffMs: 5,
    ...options,
  });

/** One call through `through` with `init`, the way openapi-fetch hands over its Request. */
const send = (
  through: ReturnType<typeof transport>,
  init: RequestInit = {},
  options: Parameters<ReturnType<typeof transport>['fetchFor']>[0] = {},
) => through.fetchFor(options)(new Request(`${through.apiUrl}/things`, init));

describe('service transport retries', () => {
  it('retries an idempotent GET with backoff until the upstream answers', async () => {
    upstream.script({ status: 503 }, { status: 502 });
    const response = await send(transport());
    expect(response.status).toBe(200);
    expect(upstream.seen.map((request) => request.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('does not retry a POST without an Idempotency-Key', async () => {
    upstream.script({ status: 503 });
    const response = await send(transport(), { method: 'POST', body: '{}' });
    expect(response.status).toBe(503);
    expect(upstream.seen).toHaveLength(1);
  });

  it('retries a POST with an Idempotency-Key, sending the same key and body each time', async () => {
    upstream.script({ status: 503 }, 'hang');
    const response = await send(
      transport({ timeoutMs: 200 }),
      { method: 'POST', body: '{"amount":"1"}' },
      { idempotencyKey: 'key-1' },
    );
    expect(response.status).toBe(200);
    expect(upstream.seen.map((request) => request.headers['idempotency-key'])).toEqual([
      'key-1',
      'key-1',
      'key-1',
    ]);
  });

  it('does not retry an answer that says the request itself is wrong', async () => {
    upstream.script({ status: 422 }, { status: 200 });
    const response = await send(transport());
    expect(response.status).toBe(422);
    expect(upstream.seen).toHaveLength(1);
  });

  it('gives up after its retries and hands back the last answer', async () => {
    upstream.script({ status: 503 }, { status: 503 }, { status: 503 }, { status: 200 });
    const response = await send(transport({ retries: 2 }));
    expect(response.status).toBe(503);
    expect(upstream.seen).toHaveLength(3);
  });
});

describe('service transport time limits', () => {
  it('ends an attempt that gets no answer with ServiceUnavailableError (timeout)', async () => {
    upstream.script('hang');
    const call = send(transport({ timeoutMs: 100, retries: 0 }));
    await expect(call).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(call).rejects.toMatchObject({ service: 'flaky', reason: 'timeout' });
  });

  it('takes a per-call time limit over the client’s', async () => {
    upstream.script('hang');
    const call = send(transport({ timeoutMs: 60_000, retries: 0 }), {}, { timeoutMs: 100 });
    await expect(call).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('reports an upstream that is not listening as unreachable', async () => {
    const closed = serviceTransport({
      service: 'gone',
      baseUrl: 'http://127.0.0.1:9',
      tokens: async () => 't',
      scopes: [],
      retries: 0,
    });
    await expect(send(closed)).rejects.toMatchObject({ service: 'gone', reason: 'unreachable' });
  });
});

describe('service transport circuit breaker', () => {
  it('opens after consecutive failures, fails fast, half-opens later and closes on success', async () => {
    const breaking = transport({ retries: 0, breakerFailures: 3, halfOpenAfterMs: 200 });
    upstream.script({ status: 500 }, { status: 503 }, { status: 500 });
    for (let i = 0; i < 3; i++) expect((await send(breaking)).status).toBeGreaterThanOrEqual(500);
    expect(breaking.breakerState()).toBe(CircuitState.Open);

    await expect(send(breaking)).rejects.toMatchObject({ reason: 'circuit_open' });
    expect(upstream.seen).toHaveLength(3);

    // Half-open after the delay: one trial call reaches the upstream; it fails, so open again.
    await sleep(300);
    upstream.script({ status: 503 });
    expect((await send(breaking)).status).toBe(503);
    expect(breaking.breakerState()).toBe(CircuitState.Open);
    await expect(send(breaking)).rejects.toMatchObject({ reason: 'circuit_open' });

    // The next trial succeeds: closed.
    await sleep(300);
    expect((await send(breaking)).status).toBe(200);
    expect(breaking.breakerState()).toBe(CircuitState.Closed);
    expect(upstream.seen).toHaveLength(5);
  });

  it('does not count answers that blame the request (4xx) against the upstream', async () => {
    const breaking = transport({ retries: 0, breakerFailures: 2 });
    upstream.script({ status: 404 }, { status: 422 }, { status: 409 });
    for (let i = 0; i < 3; i++) await send(breaking);
    expect(breaking.breakerState()).toBe(CircuitState.Closed);
  });
});

describe('service transport headers', () => {
  it('sends the caller’s token for this audience and its scopes', async () => {
    await send(transport());
    expect(upstream.seen[0]?.headers.authorization).toBe('Bearer token-for-flaky-ledger:read');
  });

  it('propagates the request id of the request being served', async () => {
    const through = transport();
    const app = new Hono<AppEnv>();
    app.use(contextStorage());
    app.use(requestId());
    app.get('/work', async (c) => c.json({ upstream: (await send(through)).status }));
    const res = await app.request('/work', { headers: { 'X-Request-Id': 'req-42' } });
    expect(await res.json()).toEqual({ upstream: 200 });
    expect(upstream.seen[0]?.headers['x-request-id']).toBe('req-42');
  });

  it('sends a request id given with the call', async () => {
    await send(transport(), {}, { requestId: 'req-7' });
    expect(upstream.seen[0]?.headers['x-request-id']).toBe('req-7');
  });
});

describe('ServiceProblemError', () => {
  it('takes its code from the problem type', () => {
    const error = new ServiceProblemError('economic-governor', 409, {
      type: 'urn:aia:problem:exceeds_credits',
      detail: 'the debit account would be overdrawn',
    });
    expect(error.code).toBe('exceeds_credits');
    expect(error.message).toBe(
      'economic-governor answered 409: the debit account would be overdrawn',
    );
  });
});
