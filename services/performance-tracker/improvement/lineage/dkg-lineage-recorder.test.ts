import { describe, expect, it } from 'vitest';
import { testServiceKeys, testToken } from '../../../../test/harness/jwt.js';
import { useDkgServer } from '../../../../test/service-clients/dkg-server.js';
import { createServiceClients } from '../../../clients.js';
import { dkgLineageRecorder } from './dkg-lineage-recorder.js';

const running = useDkgServer('tracker_lineage');

/** The tracker's DKG client as the kit builds it: its service token, its catalog grants. */
const trackerDkg = () =>
  createServiceClients({
    service: 'performance-tracker',
    config: {
      JWT_ISSUER: 'aia-platform',
      SERVICE_SIGNING_KEY: testServiceKeys['performance-tracker'],
      DKG_MANAGER_URL: running.server.url,
    },
  })['dkg-manager'];

async function agentEntry(name: string): Promise<string> {
  const token = await testToken({ subject: 'user:ada', scope: 'dkg:read dkg:write' });
  const res = await fetch(`${running.server.url}/v1/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, description: 'An agent' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { entry: { id: string } }).entry.id;
}

describe('lineage in a running DKG manager', () => {
  it("sets the variant's current version DERIVED_FROM the parent's, as the lineage route then shows", async () => {
    const parent = await agentEntry('Calculator');
    const variant = await agentEntry('Calculator, step by step');
    const recorder = dkgLineageRecorder(trackerDkg());
    await recorder.record({ variantAgentId: variant, parentAgentId: parent });
    // Recording it again changes nothing.
    await recorder.record({ variantAgentId: variant, parentAgentId: parent });
    const token = await testToken({ subject: 'user:ada', scope: 'dkg:read' });
    const res = await fetch(`${running.server.url}/v1/agents/${variant}/lineage`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      lineage: { entry_id: string; depth: number; derived_from: string[] }[];
    };
    expect(body.lineage.map((step) => [step.depth, step.entry_id])).toEqual([
      [0, variant],
      [1, parent],
    ]);
    expect(body.lineage[0]?.derived_from).toHaveLength(1);
  });

  it('fails (so the lineage stays pending) for an agent the graph does not know yet', async () => {
    const parent = await agentEntry('Planner');
    await expect(
      dkgLineageRecorder(trackerDkg()).record({
        variantAgentId: crypto.randomUUID(),
        parentAgentId: parent,
      }),
    ).rejects.toThrow(/404/);
  });
});
