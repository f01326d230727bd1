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
/** Moved for good, method kept (RFC 9110, 15.4.9). */
const PERMANENT_REDIRECT = 308;

/**
 * The page's files are under the API's own prefix, so one relative base (`../`) finds the API
 * both on the DKG manager (`/v1/explore/` → `/v1/`) and through the gateway
 * (`/v1/graph/explore/` → `/v1/graph/`).
 */
const GRAPH_PAGE_PREFIX = '/v1/explore';

/** Where the page is; its other files are beside it. */
export const GRAPH_PAGE_PATH = `${GRAPH_PAGE_PREFIX}/`;

/** The page's old place, redirected to the new one (a link's `#id=…` survives a redirect). */
const OLD_GRAPH_PAGE_PATH = '/graph/explore';

/**
 * What the kit leaves out of its token check for the page (`ModuleParts.unauthenticatedApiPrefixes`):
 * GET and HEAD of its files, nothing else under `/v1`. The files hold no data; the page's calls
 * to the API carry the token a person pastes.
 */
export const GRAPH_PAGE_ACCESS = {
  prefix: GRAPH_PAGE_PREFIX,
  methods: ['GET', 'HEAD'],
} as const;

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
 * routes under `/v1/explore/` (GET and HEAD without a token, {@link GRAPH_PAGE_ACCESS}): the page
 * holds no data; its script asks `../search` and `../graph/neighbourhood` from the page with the
 * bearer token the person pastes (kept in the tab's sessionStorage, sent in `Authorization`,
 * never in a URL). Every URL the page uses is relative, so it works behind a gateway that serves
 * the API under a path prefix. `/v1/explore` and the page's old place `/graph/explore` redirect
 * to it, by relative URLs too. The files are read once, here: a build without them fails at
 * start, naming the file.
 *
 * @example
 * return {
 *   routes,
 *   publicRoutes: graphPageRoutes(),
 *   unauthenticatedApiPrefixes: [GRAPH_PAGE_ACCESS],
 * };
 */
export function graphPageRoutes(): Hono<AppEnv> {
  const files: Record<string, { readonly body: string; readonly type: string }> = {
    '': { body: readPageFile(`${PAGE_DIR}explore.html`), type: HTML },
    'explore.js': { body: readPageFile(`${PAGE_DIR}explore.js`), type: JAVASCRIPT },
    'explore.css': { body: readPageFile(`${PAGE_DIR}explore.css`), type: CSS },
    'icon.svg': { body: readPageFile(`${PAGE_DIR}icon.svg`), type: SVG },
    'cytoscape.js': {
      body: readPageFile(
        fileURLToPath(import.meta.resolve('cytoscape/dist/cytoscape.esm.min.mjs')),
      ),
      type: JAVASCRIPT,
    },
  };
  const page = new Hono<AppEnv>();
  // Revalidated on each load (an upgrade shows at once), answered 304 while unchanged.
  page.use(`${GRAPH_PAGE_PATH}*`, etag());
  for (const [name, { body, type }] of Object.entries(files)) {
    page.get(`${GRAPH_PAGE_PATH}${name}`, (c) => {
      c.header('Content-Type', type);
      c.header('Cache-Control', 'no-cache');
      c.header('Content-Security-Policy', GRAPH_PAGE_CSP);
      return c.body(body);
    });
  }
  // Relative, so the redirects keep working under a gateway's path prefix.
  page.get(GRAPH_PAGE_PREFIX, (c) => c.redirect('explore/', PERMANENT_REDIRECT));
  page.get(OLD_GRAPH_PAGE_PATH, (c) => c.redirect('../v1/explore/', PERMANENT_REDIRECT));
  return page;
}
