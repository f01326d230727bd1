import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceProblemError } from '../../services/platform/service-client/index.js';
import { clientTypesOf, clientTypesPath } from '../../tools/clients/client-types.js';
import { testToken } from '../harness/jwt.js';
import { useDkgServer } from './dkg-server.js';

const running = useDkgServer('dkg_client');
const orchestratorDkg = () => running.orchestratorClient();

describe('the DKG manager client against a running DKG manager', () => {
  it('reads with the calling service identity and answers problems as typed errors', async () => {
    const token = await testToken({ subject: 'user:ada', scope: 'dkg:read dkg:write' });
    const created = await fetch(`${running.server.url}/v1/skills`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Forecasting', description: 'Demand forecasts' }),
    });
    expect(created.status).toBe(201);
    const { entry } = (await created.json()) as { entry: { id: string } };
    const client = orchestratorDkg();
    expect((await client.search('forecast', { registry: 'skills' })).map((n) => n.id)).toEqual([
      entry.id,
    ]);
    const ranked = await client.rankAgents(entry.id, { limit: 5 });
    expect(ranked).toMatchObject({ skill: { id: entry.id }, agents: [] });
    const error = await client.rankAgents(crypto.randomUUID()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceProblemError);
    expect((error as ServiceProblemError).status).toBe(404);
  });

  it('has committed client types that match what the served OpenAPI document generates', async () => {
    const served = await fetch(`${running.server.url}/v1/openapi.json`, {
      headers: { authorization: `Bearer ${await testToken()}` },
    });
    expect(served.status).toBe(200);
    const generated = await clientTypesOf('dkg-manager', await served.json());
    const committed = await readFile(
      join(import.meta.dirname, '../..', clientTypesPath('dkg-manager')),
      'utf8',
    );
    // On a difference: npm run clients:generate, then commit services/*/openapi.gen.ts.
    expect(committed === generated).toBe(true);
  });
});
