import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClients } from '../../services/clients.js';
import { ServiceProblemError } from '../../services/platform/service-client/index.js';
import { clientTypesOf, clientTypesPath } from '../../tools/clients/client-types.js';
import { useTestDatabase } from '../harness/databases.js';
import { testServiceKeys, testToken } from '../harness/jwt.js';
import { type ModuleServer, startModuleServer } from './module-server.js';

const database = useTestDatabase('venture_discovery_client');
let server: ModuleServer;
beforeAll(async () => {
  server = await startModuleServer('venture-discovery', database.url, {
    ENVIRONMENT: 'test',
    VENTURE_DISCOVERY_ENABLED: 'false',
  });
});
afterAll(() => server?.stop());

/** The orchestrator's client, as the kit builds it (its service token, its catalog scopes). */
const orchestratorDiscovery = () =>
  createServiceClients({
    service: 'agent-orchestrator',
    config: {
      JWT_ISSUER: 'aia-platform',
      SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'],
      VENTURE_DISCOVERY_URL: server.url,
    },
  })['venture-discovery'];

describe('the venture discovery client against a running Venture Discovery Engine', () => {
  it('starts one run per idempotency key, reads it, and answers problems as typed errors', async () => {
    const client = orchestratorDiscovery();
    const run = await client.startRun({ idempotencyKey: 'client-test' });
    expect(run.state).toBe('queued');
    expect((await client.startRun({ idempotencyKey: 'client-test' })).id).toBe(run.id);
    expect((await client.startRun()).id).not.toBe(run.id);
    expect(await client.run(run.id)).toMatchObject({ id: run.id, state: 'queued' });
    expect(await client.opportunities({ run: run.id, sort: 'score', limit: 5 })).toEqual({
      items: [],
      next_cursor: null,
    });
    const error = await client.run(crypto.randomUUID()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceProblemError);
    expect((error as ServiceProblemError).status).toBe(404);
  });

  it('has committed client types that match what the served OpenAPI document generates', async () => {
    const served = await fetch(`${server.url}/v1/openapi.json`, {
      headers: { authorization: `Bearer ${await testToken()}` },
    });
    expect(served.status).toBe(200);
    const generated = await clientTypesOf('venture-discovery', await served.json());
    const committed = await readFile(
      join(import.meta.dirname, '../..', clientTypesPath('venture-discovery')),
      'utf8',
    );
    // On a difference: npm run clients:generate, then commit services/*/openapi.gen.ts.
    expect(committed === generated).toBe(true);
  });
});
