import { beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../testing/api-fixtures.js';
import { ledgerApp } from '../testing/ledger-app.js';
import { useLedgerDatabase } from '../testing/ledger-database.js';

const ROUTES = [
  ['get', '/ledgers'],
  ['get', '/ledgers/{ledger}'],
  ['post', '/accounts'],
  ['get', '/accounts/{id}'],
  ['get', '/accounts/{id}/transfers'],
  ['get', '/accounts/{id}/stakes'],
  ['post', '/transfers'],
  ['get', '/transfers/{id}'],
  ['post', '/transfers/{id}/post'],
  ['post', '/transfers/{id}/void'],
  ['post', '/transfers/batch'],
  ['post', '/stakes'],
  ['post', '/stakes/{id}/unstake'],
  ['post', '/rewards/distributions'],
  ['post', '/treasury/mint'],
  ['post', '/treasury/burn'],
  ['get', '/audit'],
  ['put', '/governance/voters/{account_id}'],
  ['post', '/governance/proposals'],
  ['get', '/governance/proposals'],
  ['get', '/governance/proposals/{id}'],
  ['get', '/governance/proposals/{id}/snapshot'],
  ['post', '/governance/proposals/{id}/votes'],
  ['post', '/governance/private-votes'],
  ['get', '/governance/parameters'],
] as const;

/** Request bodies and the component each one refers to. */
const REQUEST_SCHEMAS = [
  ['/accounts', 'OpenAccount'],
  ['/transfers', 'NewTransfer'],
  ['/transfers/batch', 'Batch'],
  ['/stakes', 'NewStake'],
  ['/rewards/distributions', 'RewardDistribution'],
  ['/treasury/mint', 'SupplyChange'],
  ['/treasury/burn', 'SupplyChange'],
  ['/governance/proposals', 'NewProposal'],
  ['/governance/proposals/{id}/votes', 'Vote'],
] as const;

interface Schema {
  type?: string | string[];
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  $ref?: string;
  items?: Schema;
}
interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
}

describe('GET /v1/openapi.json', () => {
  const db = useLedgerDatabase('openapi');
  let served: Reply;
  beforeAll(async () => {
    const { call } = ledgerApp(db.sql);
    served = await call('GET', '/openapi.json', { as: 'anyone', scope: '' });
  });
  /** The document, or a failure saying what GET /v1/openapi.json answered instead. */
  const doc = (): Document => {
    if (served.status !== 200)
      throw new Error(`GET /v1/openapi.json answered ${served.status}: ${served.body.detail}`);
    return served.body as Document;
  };

  const operation = (method: string, path: string) => {
    const found = doc().paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    return found;
  };

  it('without a token → 401', async () => {
    const response = await ledgerApp(db.sql).app.request('/v1/openapi.json');
    expect(response.status).toBe(401);
  });

  it('is served to any valid token as OpenAPI 3.1 with the bearer security scheme', () => {
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc().openapi).toMatch(/^3\.1\./);
    expect(doc().components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('documents every route with its method, secured by the bearer scheme but the anonymous private vote, and nothing else', () => {
    for (const [method, path] of ROUTES) {
      const documented = operation(method, path);
      const open = method === 'post' && path === '/governance/private-votes';
      expect(documented.security, `${method} ${path}`).toEqual(open ? undefined : [{ bearer: [] }]);
      const success = Object.keys(documented.responses).filter((status) => status.startsWith('2'));
      expect(success.length, `${method} ${path}`).toBeGreaterThan(0);
    }
    const documented = Object.entries(doc().paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
  });

  it('documents the JSON request body schema of every write', () => {
    for (const [path, name] of REQUEST_SCHEMAS) {
      const body = operation('post', path).requestBody?.content['application/json']?.schema;
      expect(body?.$ref, path).toBe(`#/components/schemas/${name}`);
      expect(doc().components.schemas[name], name).toBeDefined();
    }
  });

  it('NewTransfer requires the ledger, both accounts and the amount as a string', () => {
    const schema = doc().components.schemas.NewTransfer as Schema;
    expect(schema.required).toEqual(
      expect.arrayContaining(['ledger', 'debit_account_id', 'credit_account_id', 'amount']),
    );
    expect(schema.required).not.toContain('id');
    expect(schema.properties?.amount?.type).toBe('string');
    expect(schema.properties?.debit_account_id).toMatchObject({ type: 'string', format: 'uuid' });
  });

  it('amounts are strings in the responses too', () => {
    const transfer = doc().components.schemas.Transfer as Schema;
    const account = doc().components.schemas.Account as Schema;
    expect(transfer.properties?.amount?.type).toBe('string');
    expect(account.properties?.balance?.type).toBe('string');
    expect(account.properties?.available?.type).toBe('string');
  });

  it('documents the Idempotency-Key header on writes and paging on history', () => {
    const headers = (operation('post', '/transfers').parameters ?? []).filter(
      (parameter) => parameter.in === 'header',
    );
    expect(headers.map((parameter) => parameter.name.toLowerCase())).toContain('idempotency-key');
    const query = (operation('get', '/accounts/{id}/transfers').parameters ?? []).map(
      (parameter) => `${parameter.in}:${parameter.name}`,
    );
    expect(query).toEqual(expect.arrayContaining(['path:id', 'query:limit', 'query:cursor']));
  });

  it('states the limits the service enforces: amount pattern (posts too), text lengths, query digits', () => {
    const schemas = doc().components.schemas;
    const amountPattern = new RegExp(schemas.NewTransfer?.properties?.amount?.pattern ?? '^$');
    for (const [name, field] of [
      ['NewTransfer', 'amount'],
      ['ResolvePending', 'amount'],
      ['BatchItem', 'amount'],
      ['NewStake', 'amount'],
      ['SupplyChange', 'amount'],
    ] as const) {
      expect(schemas[name]?.properties?.[field]?.pattern, `${name}.${field}`).toBe(
        amountPattern.source,
      );
    }
    for (const accepted of ['1', '12.5', `${'9'.repeat(20)}.${'9'.repeat(18)}`])
      expect(amountPattern.test(accepted), accepted).toBe(true);
    for (const refused of [
      '',
      ' 1',
      '-1',
      '1e3',
      '1.',
      '.5',
      '9'.repeat(21),
      `1.${'0'.repeat(19)}`,
    ])
      expect(amountPattern.test(refused), refused).toBe(false);
    expect(schemas.OpenAccount?.properties?.owner).toMatchObject({ minLength: 1, maxLength: 256 });
    expect(schemas.NewTransfer?.properties?.memo).toMatchObject({ minLength: 1, maxLength: 256 });
    const limit = operation('get', '/audit').parameters?.find((p) => p.name === 'limit');
    expect(limit?.schema?.pattern).toMatch(/\\d/);
  });

  it('refusals are problem documents', () => {
    const responses = operation('post', '/transfers').responses;
    for (const status of ['403', '404', '409', '415', '422']) {
      expect(Object.keys(responses[status]?.content ?? {})).toEqual(['application/problem+json']);
    }
  });
});
