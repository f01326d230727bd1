import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kitApp } from '../../../test/harness/kit-app.js';
import { GRAPH_PAGE_PATH, graphPageRoutes } from './graph-page-routes.js';

const { app } = kitApp({ service: 'dkg-manager', publicRoutes: graphPageRoutes() });
const base = 'http://dkg.test';
const get = (path: string, headers: Record<string, string> = {}) =>
  app.request(new URL(path, base).toString(), { headers });

/** Every URL a page file refers to: src/href attributes and module imports. */
const referencesOf = (text: string): string[] => [
  ...[...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? ''),
  ...[...text.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1] ?? ''),
];

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
      '/graph/cytoscape.js',
      '/graph/explore',
      '/graph/explore.css',
      '/graph/explore.js',
      '/graph/icon.svg',
    ]);
  });

  it('serves Cytoscape.js from node_modules as a JavaScript module', async () => {
    const res = await get('/graph/cytoscape.js');
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    const installed = readFileSync(
      fileURLToPath(import.meta.resolve('cytoscape/dist/cytoscape.esm.min.mjs')),
      'utf8',
    );
    expect(await res.text()).toBe(installed);
  });

  it('answers 304 to a browser that has the current file', async () => {
    const first = await get('/graph/explore.js');
    const tag = first.headers.get('ETag') ?? '';
    expect(tag).not.toBe('');
    expect(first.headers.get('Cache-Control')).toBe('no-cache');
    expect((await get('/graph/explore.js', { 'If-None-Match': tag })).status).toBe(304);
  });

  it('serves nothing else: no other file of page/ or node_modules', async () => {
    for (const path of ['/graph/explore.html', '/graph/cytoscape/package.json', '/graph/']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    }
  });
});
