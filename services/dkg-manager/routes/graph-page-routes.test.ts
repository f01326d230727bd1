import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../platform/db.js';
import { dkgApp } from '../testing/dkg-app.js';
import { GRAPH_PAGE_PATH } from './graph-page-routes.js';

// The module's own wiring (public routes, the token check's exemption); nothing here reaches the
// database, which is connected lazily.
const sql = createDatabase({ url: 'postgres://127.0.0.1:9/none', applicationName: 'page-test' });
const { app } = dkgApp(sql);
afterAll(() => sql.end());

const base = 'http://dkg.test';
const send = (method: string, path: string, headers: Record<string, string> = {}) =>
  app.request(new URL(path, base).toString(), { method, headers });
const get = (path: string, headers: Record<string, string> = {}) => send('GET', path, headers);

/** Every URL a page file refers to: src/href attributes and module imports. */
const referencesOf = (text: string): string[] => [
  ...[...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? ''),
  ...[...text.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1] ?? ''),
];

/** Where a redirect from `from` leads, its Location resolved as a browser does. */
const redirectTarget = async (from: string, seenAt = from) => {
  const res = await get(from);
  expect(res.status, from).toBe(308);
  return new URL(res.headers.get('Location') ?? '', new URL(seenAt, base)).pathname;
};

describe('the graph page', () => {
  it('is served without a token, with a policy that allows only its own origin and no form target', async () => {
    const res = await get(GRAPH_PAGE_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const policy = res.headers.get('Content-Security-Policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("form-action 'none'");
    expect(policy).not.toContain('unsafe');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    const head = await send('HEAD', GRAPH_PAGE_PATH);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refers only to files it serves itself, by relative URLs (so a path prefix keeps working)', async () => {
    const pending = [GRAPH_PAGE_PATH];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const path = pending.pop() ?? '';
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await get(path);
      expect(res.status, path).toBe(200);
      if (path.endsWith('cytoscape.js')) continue;
      for (const reference of referencesOf(await res.text())) {
        expect(reference, `${path} refers to ${reference}`).toMatch(/^\.{0,2}\/?[\w.-]+$/);
        expect(reference.startsWith('/'), reference).toBe(false);
        pending.push(new URL(reference, new URL(path, base)).pathname);
      }
    }
    expect([...seen].sort()).toEqual([
      '/v1/explore/',
      '/v1/explore/cytoscape.js',
      '/v1/explore/explore.css',
      '/v1/explore/explore.js',
      '/v1/explore/icon.svg',
    ]);
  });

  it('serves Cytoscape.js from node_modules as a JavaScript module', async () => {
    const res = await get(`${GRAPH_PAGE_PATH}cytoscape.js`);
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    const installed = readFileSync(
      fileURLToPath(import.meta.resolve('cytoscape/dist/cytoscape.esm.min.mjs')),
      'utf8',
    );
    expect(await res.text()).toBe(installed);
  });

  it('answers 304 to a browser that has the current file', async () => {
    const first = await get(`${GRAPH_PAGE_PATH}explore.js`);
    const tag = first.headers.get('ETag') ?? '';
    expect(tag).not.toBe('');
    expect(first.headers.get('Cache-Control')).toBe('no-cache');
    expect((await get(`${GRAPH_PAGE_PATH}explore.js`, { 'If-None-Match': tag })).status).toBe(304);
  });

  it('serves nothing else: no other file of page/ or node_modules', async () => {
    for (const path of [
      '/v1/explore/explore.html',
      '/v1/explore/index.html',
      '/v1/explore/cytoscape/package.json',
      '/graph/explore.js',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('redirects /v1/explore and its old place /graph/explore to it, by relative URLs', async () => {
    expect(await redirectTarget('/v1/explore')).toBe(GRAPH_PAGE_PATH);
    expect(await redirectTarget('/graph/explore')).toBe(GRAPH_PAGE_PATH);
    // Seen through the gateway, where the DKG's /v1 is /v1/graph.
    expect(await redirectTarget('/v1/explore', '/v1/graph/explore')).toBe('/v1/graph/explore/');
  });

  it('opens only GET and HEAD of the page to callers without a token, nothing else under /v1', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])
      expect((await send(method, GRAPH_PAGE_PATH)).status, method).toBe(401);
    for (const path of [
      '/v1/search?q=x',
      '/v1/graph/neighbourhood?id=x',
      '/v1/explorer',
      '/v1/skills',
    ])
      expect((await get(path)).status, path).toBe(401);
  });
});
