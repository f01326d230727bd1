import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { requireScopes } from './auth.js';
import { addRoute, BEARER_SECURITY, createOpenApiApp, serveOpenApiDocument } from './openapi.js';

const documentOf = async (middleware: ReturnType<typeof requireScopes>[]) => {
  const app = createOpenApiApp();
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/things/{id}',
      security: BEARER_SECURITY,
      middleware,
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: { description: 'A thing' } },
    }),
    async (c) => c.text('thing'),
  );
  serveOpenApiDocument(app, { title: 'Things', description: 'Things' });
  const document = (await (await app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  return document.paths['/things/{id}']?.get;
};

describe('a route whose middleware checks scopes', () => {
  it('lists them on its OpenAPI operation as x-required-scopes', async () => {
    const operation = await documentOf([
      requireScopes('ledger:read'),
      requireScopes('ledger:write'),
    ]);
    expect(operation?.['x-required-scopes']).toEqual(['ledger:read', 'ledger:write']);
    expect(operation?.security).toEqual([{ bearer: [] }]);
  });

  it('documents no scopes for a route that checks none', async () => {
    const operation = await documentOf([]);
    expect(operation?.['x-required-scopes']).toBeUndefined();
    expect(operation?.security).toEqual([{ bearer: [] }]);
  });
});
