import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { authorizationMatrix } from '../services/aia-api/identity/authorization-matrix.js';
import { mergedPlatformDocument } from '../services/aia-api/testing/service-documents.js';

/** Where the matrix is kept; authorization-matrix.test.ts fails when it is not current. */
export const MATRIX_FILE = join(import.meta.dirname, '..', 'docs', 'authorization-matrix.json');

/**
 * `npm run matrix`: writes docs/authorization-matrix.json, every route of the gateway × every
 * role (allowed or 403), from the services' OpenAPI documents built in-process.
 */
const matrix = authorizationMatrix(await mergedPlatformDocument());
await writeFile(MATRIX_FILE, `${JSON.stringify(matrix, null, 2)}\n`);
const forbidden = matrix.routes.filter((route) =>
  Object.values(route.access).includes('forbidden'),
);
process.stdout.write(
  `${MATRIX_FILE}: ${matrix.routes.length} routes, ${forbidden.length} refused to at least one role\n`,
);
