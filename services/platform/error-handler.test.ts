import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonOf, kitApp } from '../../test/harness/kit-app.js';
import { ConflictError } from './errors.js';
import type { AppEnv } from './types.js';
import { jsonBody } from './validation.js';

const transfer = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  amount: z.string().regex(/^\d+$/, 'expected a whole number as a string'),
});

function routes() {
  const api = new Hono<AppEnv>();
  api.post('/transfers', jsonBody(transfer), (c) => c.json({ accepted: c.req.valid('json') }, 201));
  api.get('/boom', () => {
    throw new Error('connection to postgres://admin:hunter2@db/secret failed');
  });
  api.get('/conflict', () => {
    throw new ConflictError('account already exists', { account: 'alice' });
  });
  api.get('/slow', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return c.text('late');
  });
  return api;
}

const post = (body: string, contentType = 'application/json') => ({
  method: 'POST',
  body,
  headers: { 'Content-Type': contentType },
});

describe('error model', () => {
  const { app, logs } = kitApp({ routes: routes(), bodyBytes: 256, requestTimeoutMs: 100 });

  it('accepts a valid JSON body', async () => {
    const res = await app.request('/v1/transfers', post('{"from":"a","to":"b","amount":"5"}'));
    expect(res.status).toBe(201);
    expect(await jsonOf(res)).toEqual({ accepted: { from: 'a', to: 'b', amount: '5' } });
  });

  it('answers malformed JSON with a 400 problem that says so', async () => {
    const res = await app.request('/v1/transfers', post('{"from": "a",'));
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = await jsonOf(res);
    expect(problem).toMatchObject({ status: 400, title: 'Bad Request', instance: '/v1/transfers' });
    expect(problem.detail).toMatch(/malformed json/i);
  });

  it('answers a wrong content type with 415 naming the expected type', async () => {
    const res = await app.request(
      '/v1/transfers',
      post('from=a', 'application/x-www-form-urlencoded'),
    );
    expect(res.status).toBe(415);
    expect((await jsonOf(res)).detail).toBe(
      "content-type must be application/json, received 'application/x-www-form-urlencoded'",
    );
  });

  it('answers an oversized body with 413 naming the limit', async () => {
    const body = JSON.stringify({ from: 'a', to: 'b', amount: '1'.repeat(400) });
    const res = await app.request('/v1/transfers', post(body));
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).detail).toBe('request body exceeds the limit of 256 bytes');
  });

  it('answers schema violations with 422 naming each field and the reason', async () => {
    const res = await app.request('/v1/transfers', post('{"from":"a","amount":"-5","extra":1}'));
    expect(res.status).toBe(422);
    const problem = await jsonOf(res);
    expect(problem.type).toBe('urn:aia:problem:validation_failed');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'to', reason: 'required (expected string)' },
        { field: 'amount', reason: 'expected a whole number as a string' },
        { field: '(body)', reason: "unknown field(s) 'extra'" },
      ]),
    );
  });

  it('maps typed domain errors to their status with extensions', async () => {
    const res = await app.request('/v1/conflict');
    expect(res.status).toBe(409);
    expect(await jsonOf(res)).toMatchObject({ detail: 'account already exists', account: 'alice' });
  });

  it('answers unknown errors with a plain 500 that leaks nothing, and logs the cause', async () => {
    const res = await app.request('/v1/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, detail: 'internal server error' });
    expect(text).not.toMatch(/hunter2|postgres|stack|at /);
    const logged = logs.lines.find((line) => line.msg === 'unhandled error');
    expect(logged?.err).toBeDefined();
  });

  it('times out slow requests with 504', async () => {
    const res = await app.request('/v1/slow');
    expect(res.status).toBe(504);
    expect((await jsonOf(res)).detail).toBe('request did not complete within 100 ms');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await app.request('/v1/nowhere');
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).detail).toBe('no route for GET /v1/nowhere');
  });

  it('carries the request id in the response header and the problem', async () => {
    const res = await app.request('/v1/nowhere', { headers: { 'X-Request-Id': 'req-42' } });
    expect(res.headers.get('X-Request-Id')).toBe('req-42');
    expect((await jsonOf(res)).requestId).toBe('req-42');
  });

  it('sets secure headers on every response', async () => {
    const res = await app.request('/healthz');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Strict-Transport-Security')).toContain('max-age=');
    expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
  });
});
