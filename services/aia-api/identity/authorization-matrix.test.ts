import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergedPlatformDocument } from '../testing/service-documents.js';
import { authorizationMatrix } from './authorization-matrix.js';

const MATRIX_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'docs',
  'authorization-matrix.json',
);

describe('authorizationMatrix', () => {
  it('refuses a role lacking a required scope, allows one holding them all, and everyone where no token is taken', () => {
    const matrix = authorizationMatrix({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/v1/ledger/transfers': {
          post: {
            tags: ['economic-governor/transfers'],
            security: [{ bearer: [] }],
            'x-required-scopes': ['ledger:write'],
          },
          get: {
            tags: ['economic-governor/transfers'],
            security: [{ bearer: [] }],
            'x-required-scopes': ['ledger:read'],
          },
        },
        '/v1/auth/token': { post: { tags: ['aia-api/identity'], security: [] } },
      },
    });
    const [token, read, write] = matrix.routes;
    expect(write).toMatchObject({
      method: 'POST',
      path: '/v1/ledger/transfers',
      service: 'economic-governor',
      access: {
        viewer: 'forbidden',
        'agent-operator': 'forbidden',
        treasurer: 'allowed',
        administrator: 'allowed',
      },
    });
    expect(Object.values(read?.access ?? {})).toEqual(['allowed', 'allowed', 'allowed', 'allowed']);
    expect(token).toMatchObject({
      path: '/v1/auth/token',
      authenticated: false,
      requiredScopes: [],
    });
  });

  it('is current in docs/authorization-matrix.json (npm run matrix writes it)', async () => {
    const current = authorizationMatrix(await mergedPlatformDocument());
    const kept = JSON.parse(await readFile(MATRIX_FILE, 'utf8'));
    expect(kept, 'docs/authorization-matrix.json is stale: run npm run matrix').toEqual(current);
  }, 60_000);
});
