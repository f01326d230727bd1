import { describe, expect, it } from 'vitest';
import { gatewayPathOf } from '../routing/route-table.js';
import { mergeOpenApiDocuments, type OpenApiDocument } from './merge-openapi.js';

const bearer = { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };
const documentOf = (
  title: string,
  paths: OpenApiDocument['paths'],
  schemas: Record<string, unknown> = {},
): OpenApiDocument => ({
  openapi: '3.1.0',
  info: { title, version: '1' },
  servers: [{ url: '/v1' }],
  paths,
  components: { schemas, securitySchemes: bearer },
});

const account = { type: 'object', properties: { id: { type: 'string' } } };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (schema: unknown) => ({
  200: { description: 'ok', content: { 'application/json': { schema } } },
});

const gateway = documentOf('gateway', {
  '/whoami': { get: { operationId: 'whoami', tags: ['identity'], responses: ok({}) } },
});
const ledger = documentOf(
  'ledger',
  {
    '/accounts/{id}': {
      parameters: [{ name: 'id', in: 'path' }],
      get: { operationId: 'getAccount', tags: ['accounts'], responses: ok(ref('Account')) },
    },
  },
  { Account: account, Accounts: { type: 'array', items: ref('Account') } },
);
const dkg = documentOf(
  'dkg',
  { '/skills': { get: { tags: ['skills'], responses: ok(ref('Account')) } } },
  { Account: { type: 'string' } },
);

describe('the merged OpenAPI document', () => {
  const merged = mergeOpenApiDocuments({
    gateway,
    upstreams: [
      { service: 'economic-governor', document: ledger },
      { service: 'dkg-manager', document: dkg },
    ],
  });

  it("puts each service's paths at their gateway paths, the gateway's own under /v1", () => {
    expect(Object.keys(merged.paths ?? {}).sort()).toEqual([
      '/v1/graph/skills',
      '/v1/ledger/accounts/{id}',
      '/v1/whoami',
    ]);
    expect(merged.servers).toEqual([{ url: '/' }]);
  });

  it('keeps two services’ schemas of one name apart, each $ref pointing at its own', () => {
    const schemas = merged.components?.schemas ?? {};
    expect(schemas['economic-governor.Account']).toEqual(account);
    expect(schemas['dkg-manager.Account']).toEqual({ type: 'string' });
    expect(schemas['economic-governor.Accounts']).toEqual({
      type: 'array',
      items: ref('economic-governor.Account'),
    });
    const getAccount = merged.paths?.['/v1/ledger/accounts/{id}']?.get as {
      responses: ReturnType<typeof ok>;
    };
    expect(getAccount.responses[200].content['application/json'].schema).toEqual(
      ref('economic-governor.Account'),
    );
    const skills = merged.paths?.['/v1/graph/skills']?.get as { responses: ReturnType<typeof ok> };
    expect(skills.responses[200].content['application/json'].schema).toEqual(
      ref('dkg-manager.Account'),
    );
  });

  it('keeps the shared bearer scheme once, under its own name', () => {
    expect(merged.components?.securitySchemes).toEqual(bearer);
  });

  it('prefixes operation ids and tags with the service, and lists each tag', () => {
    const getAccount = merged.paths?.['/v1/ledger/accounts/{id}']?.get as {
      operationId: string;
      tags: string[];
    };
    expect(getAccount.operationId).toBe('economic-governor.getAccount');
    expect(getAccount.tags).toEqual(['economic-governor/accounts']);
    expect((merged.tags ?? []).map((tag) => tag.name)).toEqual([
      'aia-api/identity',
      'economic-governor/accounts',
      'dkg-manager/skills',
    ]);
    // Path-level fields other than operations are kept as they are.
    expect(merged.paths?.['/v1/ledger/accounts/{id}']?.parameters).toEqual([
      { name: 'id', in: 'path' },
    ]);
  });

  it('names the services whose documents could not be read', () => {
    const partial = mergeOpenApiDocuments({
      gateway,
      upstreams: [],
      unavailable: ['venture-discovery'],
    });
    expect(partial.info.description).toContain('venture-discovery');
    expect(Object.keys(partial.paths ?? {})).toEqual(['/v1/whoami']);
  });

  it('maps an upstream path through the one table route covering it, or not at all', () => {
    expect(gatewayPathOf('economic-governor', '/v1/accounts')).toBe('/v1/ledger/accounts');
    expect(gatewayPathOf('agent-orchestrator', '/v1/tasks/x/tree')).toBe('/v1/tasks/x/tree');
    expect(gatewayPathOf('agent-orchestrator', '/a2a/agents')).toBe('/v1/a2a/agents');
    expect(gatewayPathOf('agent-orchestrator', '/v1/elsewhere')).toBeUndefined();
  });
});
