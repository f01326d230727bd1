import { AgentCard } from '@a2a-js/sdk';
import { DefaultAgentCardResolver } from '@a2a-js/sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import {
  type GovernorServer,
  startGovernorServer,
} from '../../../test/service-clients/governor-server.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { registryApp } from '../testing/registry-app.js';

const database = useTestDatabase('orchestrator_cards');
const ledgerDatabase = useTestDatabase('orchestrator_cards_ledger');
let governor: GovernorServer;
let sql: Database;
let registry: ReturnType<typeof registryApp>;

beforeAll(async () => {
  governor = await startGovernorServer(ledgerDatabase.url);
  sql = createDatabase({ url: database.url, applicationName: 'orchestrator-test', max: 4 });
  await migrateService(sql, 'agent-orchestrator');
  registry = registryApp(sql, { governorUrl: governor.url });
});
afterAll(async () => {
  await sql?.end();
  await governor?.stop();
});

const ORIGIN = 'http://orchestrator.test';
const register = async (name: string, extra: Record<string, unknown> = {}) => {
  const res = await registry.call('POST', '/agents', {
    body: {
      name,
      description: `${name}, for a test`,
      runtime: { kind: 'llm', instructions: 'secret instructions' },
      ...extra,
    },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { agent: { id: string; ledger_account_id: string } }).agent;
};
/** `fetch` answered by the app, for the SDK's card resolver: no socket. */
const fetchImpl = (input: string | URL | Request, init?: RequestInit) =>
  Promise.resolve(
    registry.app.request(input instanceof Request ? input : String(input), init),
  ) as Promise<Response>;

describe('A2A agent cards', () => {
  it("serve each active agent's A2A 1.0 card in public, in the spec's JSON form", async () => {
    const agent = await register('Translator', {
      description: 'Translates text',
      version: '2.1.0',
      skills: [{ id: 'translate', name: 'Translate', description: 'Any pair', tags: ['language'] }],
      output_modes: ['text/plain', 'application/json'],
    });
    const res = await registry.app.request(
      `${ORIGIN}/a2a/agents/${agent.id}/.well-known/agent-card.json`,
    );
    expect(res.status).toBe(200);
    // Its URLs come from the request's Host here: not for anyone else's cache.
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Vary')).toBe('Host');
    const text = await res.text();
    const wire = JSON.parse(text) as Record<string, unknown>;
    expect(wire).toMatchObject({
      name: 'Translator',
      description: 'Translates text',
      version: '2.1.0',
      supportedInterfaces: [
        {
          url: `${ORIGIN}/a2a/agents/${agent.id}`,
          protocolBinding: 'JSONRPC',
          protocolVersion: '1.0',
        },
      ],
      capabilities: { streaming: true, pushNotifications: true },
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain', 'application/json'],
      skills: [{ id: 'translate', name: 'Translate', description: 'Any pair', tags: ['language'] }],
      securitySchemes: {
        bearer: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' } },
      },
      securityRequirements: [{ schemes: { bearer: {} } }],
    });
    // The SDK's own decoding reads it back whole: nothing lost, nothing in its internal form.
    expect(text).not.toContain('$case');
    const card = AgentCard.fromJSON(wire);
    expect(AgentCard.toJSON(card)).toEqual(wire);
    // A public document: nothing of the owner, the ledger or the runtime.
    for (const hidden of ['ada', agent.ledger_account_id, 'secret instructions'])
      expect(text).not.toContain(hidden);
  });

  it("is what the SDK's card resolver reads at the agent's base URL", async () => {
    const agent = await register('Summariser', {
      skills: [
        { id: 'summarise', name: 'Summarise', description: 'Summarises text', tags: ['text'] },
      ],
    });
    // The resolver joins the card path as a relative URL: the base needs its trailing slash.
    const card = await new DefaultAgentCardResolver({ fetchImpl }).resolve(
      `${ORIGIN}/a2a/agents/${agent.id}/`,
    );
    expect(card.name).toBe('Summariser');
    expect(card.supportedInterfaces[0]?.url).toBe(`${ORIGIN}/a2a/agents/${agent.id}`);
    expect(card.skills.map((skill) => skill.id)).toEqual(['summarise']);
    expect(card.securitySchemes.bearer?.scheme).toEqual({
      $case: 'httpAuthSecurityScheme',
      value: { scheme: 'Bearer', bearerFormat: 'JWT', description: expect.any(String) },
    });
  });

  it('lists the active agents in the index, and no retired one; a retired agent has no card', async () => {
    const kept = await register('Kept');
    const gone = await register('Gone');
    expect((await registry.call('POST', `/agents/${gone.id}/retire`)).status).toBe(200);
    const index = await registry.app.request(`${ORIGIN}/a2a/agents?limit=500`);
    expect(index.status).toBe(200);
    const cards = (await index.json()) as {
      name: string;
      supportedInterfaces: { url: string }[];
    }[];
    const urls = cards.map((card) => card.supportedInterfaces[0]?.url);
    expect(urls).toContain(`${ORIGIN}/a2a/agents/${kept.id}`);
    expect(urls).not.toContain(`${ORIGIN}/a2a/agents/${gone.id}`);
    expect(
      (await registry.app.request(`/a2a/agents/${gone.id}/.well-known/agent-card.json`)).status,
    ).toBe(404);
    expect(
      (await registry.app.request('/a2a/agents/not-a-uuid/.well-known/agent-card.json')).status,
    ).toBe(422);
  });

  it('names the public origin of A2A_PUBLIC_URL in its cards when set', async () => {
    const agent = await register('Behind the gateway');
    const behind = registryApp(sql, {
      governorUrl: governor.url,
      publicUrl: 'https://api.aia.example/',
    });
    const res = await behind.app.request(
      `http://10.0.0.7:8003/a2a/agents/${agent.id}/.well-known/agent-card.json`,
    );
    const card = (await res.json()) as { supportedInterfaces: { url: string }[] };
    expect(card.supportedInterfaces[0]?.url).toBe(`https://api.aia.example/a2a/agents/${agent.id}`);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60');
  });

  it('pages the index with a Link header to the next page', async () => {
    await register('Page one');
    await register('Page two');
    const first = await registry.app.request(`${ORIGIN}/a2a/agents?limit=1`);
    expect(((await first.json()) as unknown[]).length).toBe(1);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('Link') ?? '')?.[1];
    expect(next).toMatch(/^http:\/\/orchestrator\.test\/a2a\/agents\?limit=1&cursor=\d+$/);
    const second = await registry.app.request(next as string);
    expect(((await second.json()) as unknown[]).length).toBe(1);
  });
});
