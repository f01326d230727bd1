import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { limitBody } from './body-limit.js';
import { errorHandler } from './error-handler.js';
import type { AppEnv } from './types.js';

const app = new Hono<AppEnv>();
app.onError(errorHandler);
app.use(limitBody({ maxBytes: 64 }));
app.post('/echo', async (c) => c.text(await c.req.text()));
app.get('/echo', (c) => c.text('got'));

const post = (body: string, headers: Record<string, string>) =>
  app.request('/echo', { method: 'POST', body, headers });

describe('limitBody', () => {
  it('judges a declared length without reading the body', async () => {
    expect((await post('x', { 'Content-Length': '65' })).status).toBe(413);
    const fits = await post('hello', { 'Content-Length': '5' });
    expect(fits.status).toBe(200);
    expect(await fits.text()).toBe('hello');
  });

  it('counts the bytes of a body without a declared length (chunked)', async () => {
    expect((await post('y'.repeat(65), { 'Transfer-Encoding': 'chunked' })).status).toBe(413);
    expect((await post('y'.repeat(65), {})).status).toBe(413);
    expect((await post('y'.repeat(64), {})).status).toBe(200);
  });

  it('lets GET through', async () => {
    expect((await app.request('/echo')).status).toBe(200);
  });
});
