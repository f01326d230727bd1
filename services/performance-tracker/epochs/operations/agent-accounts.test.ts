import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/harness/databases.js';
import { testServiceKeys, testToken } from '../../../../test/harness/jwt.js';
import { startGovernorServer } from '../../../../test/service-clients/governor-server.js';
import {
  type ModuleServer,
  startModuleServer,
} from '../../../../test/service-clients/module-server.js';
import { orchestratorAgentAccounts, rememberedAgentAccounts } from './agent-accounts.js';
import { orchestratorTransport } from './orchestrator-transport.js';

const orchestratorDatabase = useTestDatabase('epochs_accounts_orchestrator');
const ledgerDatabase = useTestDatabase('epochs_accounts_ledger');
let governor: ModuleServer;
let orchestrator: ModuleServer;

beforeAll(async () => {
  governor = await startGovernorServer(ledgerDatabase.url);
  orchestrator = await startModuleServer('agent-orchestrator', orchestratorDatabase.url, {
    ECONOMIC_GOVERNOR_URL: governor.url,
    SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'] as string,
    ENCRYPTION_KEY: 'e'.repeat(32),
    DATABASE_URL: orchestratorDatabase.url,
  });
}, 60_000);
afterAll(async () => {
  await orchestrator?.stop();
  await governor?.stop();
});

/** Registers an agent at the orchestrator as a person would; its id and ledger account. */
async function registerAgent(): Promise<{ id: string; ledger_account_id: string }> {
  const token = await testToken({ subject: 'ada', scope: 'agents:read agents:write' });
  const response = await fetch(`${orchestrator.url}/v1/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `Earner ${randomUUID().slice(0, 8)}`,
      description: 'an agent that earns epoch rewards',
      runtime: { kind: 'tool', tool: 'ledger-balance' },
    }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { agent: { id: string; ledger_account_id: string } }).agent;
}

const trackerConfig = (url: string) => ({
  AGENT_ORCHESTRATOR_URL: url,
  SERVICE_SIGNING_KEY: testServiceKeys['performance-tracker'],
});

describe("an agent's ledger account, from the agent orchestrator", () => {
  it('is the account the orchestrator opened for it, read with the tracker’s identity', async () => {
    const agent = await registerAgent();
    const accounts = orchestratorAgentAccounts(
      orchestratorTransport(trackerConfig(orchestrator.url)),
    );
    expect(await accounts.accountOf(agent.id)).toBe(agent.ledger_account_id);
    expect(await accounts.accountOf(randomUUID())).toBeNull();
  });

  it('is asked for once per agent when remembered, and unknown agents are asked again', async () => {
    const agent = await registerAgent();
    const asked: string[] = [];
    const inner = orchestratorAgentAccounts(orchestratorTransport(trackerConfig(orchestrator.url)));
    const remembered = rememberedAgentAccounts({
      accountOf: (id) => {
        asked.push(id);
        return inner.accountOf(id);
      },
    });
    const stranger = randomUUID();
    for (let i = 0; i < 3; i++) {
      expect(await remembered.accountOf(agent.id)).toBe(agent.ledger_account_id);
      expect(await remembered.accountOf(stranger)).toBeNull();
    }
    expect(asked).toEqual([agent.id, stranger, stranger, stranger]);
  });

  it('fails as the service client does when the orchestrator is not reachable', async () => {
    const accounts = orchestratorAgentAccounts(
      orchestratorTransport(trackerConfig('http://127.0.0.1:9')),
    );
    await expect(accounts.accountOf(randomUUID())).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
  });
});
