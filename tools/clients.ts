import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLIENT_SERVICES, clientTypesOf, clientTypesPath } from './clients/client-types.js';
import { servedDocuments } from './clients/served-document.js';

/**
 * `npm run clients:generate`: starts each service that has a typed client, takes the OpenAPI
 * document it serves, and writes `services/<service>/openapi.gen.ts` (commit it). A test fails
 * while a committed file differs from what the current document generates.
 */
const root = join(import.meta.dirname, '..');
const say = (line: string) => process.stdout.write(`${line}\n`);

say('▸ starting the services for their OpenAPI documents');
const documents = await servedDocuments(CLIENT_SERVICES, say);
say('▸ writing client types');
for (const service of CLIENT_SERVICES) {
  const path = clientTypesPath(service);
  await writeFile(join(root, path), await clientTypesOf(service, documents[service]));
  say(`  ✓ ${path}`);
}
