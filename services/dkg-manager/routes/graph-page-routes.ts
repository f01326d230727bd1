import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv } from '../../platform/types.js';

/** The page's own files, served as they are (`npm run build` copies `page/` beside the code). */
const PAGE_DIR = fileURLToPath(new URL('../page/', import.meta.url));

/**
 * The one inline style the page allows: Cytoscape.js adds this rule in a `<style>` element of
 * its own when it mounts (core/index.js, "__________cytoscape_stylesheet"). Allowed by its hash
 * rather than `'unsafe-inline'`; should an upgrade change the text, the page's browser test sees
 * the CSP violation.
 */
const CYTOSCAPE_CONTAINER_STYLE = '.__________cytoscape_container { position: relative; }';
const styleHash = (css: string) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

/**
 * The page loads its own scripts and styles only, talks to its own origin only, and submits no
 * form anywhere: the token field cannot end up in a URL even if the script did not run.
 */
export const GRAPH_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' ${styleHash(CYTOSCAPE_CONTAINER_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HTML = 'text/html; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const SVG = 'image/svg+xml';

/** Where the page is; its other files are beside it, the API at `../v1/` from it. */
export const GRAPH_PAGE_PATH = '/graph/explore';

const readPageFile = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`the DKG graph page's file ${path} is missing (is page/ in the build?)`, {
      cause: error,
    });
  }
};

/**
 * The graph explorer, a page that draws an entry's neighbourhood (Cytoscape.js, served from
 * node_modules: nothing is fetched from another site) for a person to click through. Public
 * routes, outside `/v1`: the page holds no data; its script asks `/v1/search` and
 * `/v1/graph/neighbourhood` with the bearer token the person pastes (kept in the tab's
 * sessionStorage, sent in `Authorization`, never in a URL). Every URL the page uses is relative,
 * so it works behind a gateway that serves the service under a path prefix. The files are read
 * once, here: a build without them fails at start, naming the file.
 *
 * @example
 * return { routes, publicRoutes: graphPageRoutes() };
 */
export function graphPageRoutes(): Hono<AppEnv> {
  const files: Record<string, { readonly body: string; readonly type: string }> = {
    [GRAPH_PAGE_PATH]: { body: readPageFile(`${PAGE_DIR}explore.html`), type: HTML },
    '/graph/explore.js': { body: readPageFile(`${PAGE_DIR}explore.js`), type: JAVASCRIPT },
    '/graph/explore.css': { body: readPageFile(`${PAGE_DIR}explore.css`), type: CSS },
    '/graph/icon.svg': { body: readPageFile(`${PAGE_DIR}icon.svg`), type: SVG },
    '/graph/cytoscape.js': {
      body: readPageFile(
        fileURLToPath(import.meta.resolve('cytoscape/dist/cytoscape.esm.min.mjs')),
      ),
      type: JAVASCRIPT,
    },
  };
  const page = new Hono<AppEnv>();
  // Revalidated on each load (an upgrade shows at once), answered 304 while unchanged.
  page.use('/graph/*', etag());
  for (const [path, { body, type }] of Object.entries(files)) {
    page.get(path, (c) => {
      c.header('Content-Type', type);
      c.header('Cache-Control', 'no-cache');
      c.header('Content-Security-Policy', GRAPH_PAGE_CSP);
      return c.body(body);
    });
  }
  return page;
}
