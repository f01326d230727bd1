import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../../platform/types.js';

/** Where a person reads and tries the platform's API. */
export const DOCS_PAGE_PATH = '/docs';

/** The files of Swagger UI's distribution the page loads, and their media types. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * The page, with relative addresses only (`docs/assets/…`, `v1/openapi.json`), so it works
 * behind a path prefix too; no inline script, so a strict Content-Security-Policy holds.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>AIA Platform API</title>
  <link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
  <div id="api-reference"></div>
  <script src="docs/assets/swagger-ui-bundle.js"></script>
  <script src="docs/assets/start.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI on the merged document. No validator badge (it would send the document to
 * swagger.io); the token a person enters under "Authorize" is kept in the page only.
 */
const START = `window.ui = SwaggerUIBundle({
  url: new URL('v1/openapi.json', document.baseURI).href,
  dom_id: '#api-reference',
  deepLinking: true,
  docExpansion: 'list',
  filter: true,
  validatorUrl: null,
  persistAuthorization: false,
  tryItOutEnabled: false,
  displayRequestDuration: true,
});
`;

/** A day: the assets change only with the package's version, which changes the image. */
const ASSET_CACHE = 'public, max-age=86400';

const swaggerUiDirectory = () =>
  dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/**
 * The API documentation page at `/docs` (Swagger UI, served from the `swagger-ui-dist` package:
 * no CDN, nothing fetched from outside), for the gateway's public routes. The document it shows is
 * the gateway's merged `/v1/openapi.json`; "Try it out" calls the gateway with the token a person
 * enters under "Authorize".
 */
export function docsPageRoutes(): Hono<AppEnv> {
  const directory = swaggerUiDirectory();
  const files = new Map<string, Promise<Buffer>>();
  const asset = (name: string) => {
    let file = files.get(name);
    if (!file) {
      file = readFile(join(directory, name));
      files.set(name, file);
    }
    return file;
  };
  const page = new Hono<AppEnv>();
  page.get(DOCS_PAGE_PATH, (c) => c.html(PAGE));
  // `/docs/` would resolve the page's relative addresses under `/docs/`: send it to `/docs`.
  page.get(`${DOCS_PAGE_PATH}/`, (c) => c.redirect('../docs', 301));
  page.get(`${DOCS_PAGE_PATH}/assets/start.js`, (c) =>
    c.body(START, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': ASSET_CACHE,
    }),
  );
  page.get(`${DOCS_PAGE_PATH}/assets/:name`, async (c) => {
    const name = c.req.param('name');
    const type = ASSETS[name];
    if (!type) return c.notFound();
    return c.body(new Uint8Array(await asset(name)), 200, {
      'Content-Type': type,
      'Cache-Control': ASSET_CACHE,
    });
  });
  return page;
}
