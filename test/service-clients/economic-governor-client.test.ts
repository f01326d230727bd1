import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClients } from '../../services/clients.js';
import { economicGovernorClient } from '../../services/economic-governor/client.js';
import {
  ServiceProblemError,
  serviceTransport,
} from '../../services/platform/service-client/index.js';
import { clientTypesOf, clientTypesPath } from '../../tools/clients/client-types.js';
import { useTestDatabase } from '../harness/databases.js';
import { testServiceKeys, testServiceToken, testToken } from '../harness/jwt.js';
import { type GovernorServer, startGovernorServer } from './governor-server.js';

const database = useTestDatabase('service-clients');
let governor: GovernorServer;
beforeAll(async () => {
  governor = await startGovernorServer(database.url);
});
afterAll(() => governor?.stop());

/** The orchestrator's clients, as the kit builds them from its configuration. */
const orchestratorClients = () =>
  createServiceClients({
    service: 'agent-orchestrator',
    config: {
      JWT_ISSUER: 'aia-platform',
      SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'],
      ECONOMIC_GOVERNOR_URL: governor.url,
    },
  });

/** A treasury administrator's client: a tool calling with a person's token. */
const adminClient = () =>
  economicGovernorClient(
    serviceTransport({
      service: 'economic-governor',
      baseUrl: governor.url,
      scopes: [],
      tokens: () =>
        testToken({ subject: 'treasurer', scope: 'ledger:read ledger:write treasury:admin' }),
    }),
  );

/** A raw call with `token`, for what the typed client would never send. */
const rawGet = (path: string, token: string) =>
  fetch(`${governor.url}/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('the economic governor client against a running governor', () => {
  it('opens an account owned by the calling service and moves tokens through typed calls', async () => {
    const governorClient = orchestratorClients()['economic-governor'];
    const agent = await governorClient.openAccount({ ledger: 'AIA', memo: 'agent 7' });
    expect(agent).toMatchObject({
      ledger: 'AIA',
      kind: 'user',
      owner: 'service:agent-orchestrator',
      credits_posted: '0',
    });

    const [aia] = (await adminClient().ledgers()).filter((ledger) => ledger.code === 'AIA');
    const treasury = aia?.system_accounts.treasury;
    expect(treasury).toBeDefined();
    await adminClient().transfer({
      ledger: 'AIA',
      debit_account_id: treasury as string,
      credit_account_id: agent.id,
      amount: '100',
    });

    const wallet = await governorClient.openAccount({ ledger: 'AIA', memo: 'agent 8' });
    const moved = await governorClient.transfer({
      ledger: 'AIA',
      debit_account_id: agent.id,
      credit_account_id: wallet.id,
      amount: '12.5',
    });
    expect(moved).toMatchObject({ amount: '12.5', debit_account_id: agent.id });
    expect((await governorClient.account(wallet.id)).credits_posted).toBe('12.5');
    const page = await governorClient.accountTransfers(agent.id, { limit: 1 });
    expect(page.transfers.map((transfer) => transfer.id)).toEqual([moved.id]);
    expect(page.next_cursor).not.toBeNull();
  });

  it('reserves with a pending transfer, then posts part of it or voids it', async () => {
    const governorClient = orchestratorClients()['economic-governor'];
    const payer = await governorClient.openAccount({ ledger: 'AIA', memo: 'payer' });
    const payee = await governorClient.openAccount({ ledger: 'AIA', memo: 'payee' });
    const [aia] = (await adminClient().ledgers()).filter((ledger) => ledger.code === 'AIA');
    await adminClient().transfer({
      ledger: 'AIA',
      debit_account_id: aia?.system_accounts.treasury as string,
      credit_account_id: payer.id,
      amount: '50',
    });
    const reserve = () =>
      governorClient.transfer({
        ledger: 'AIA',
        debit_account_id: payer.id,
        credit_account_id: payee.id,
        amount: '20',
        pending: { timeout_seconds: 600 },
      });
    const posted = await governorClient.postPending((await reserve()).id, { amount: '5' });
    expect(posted).toMatchObject({ kind: 'post', amount: '5' });
    const voided = await governorClient.voidPending((await reserve()).id);
    expect(voided).toMatchObject({ kind: 'void' });
    const after = await governorClient.account(payer.id);
    expect(after).toMatchObject({ debits_posted: '5', debits_pending: '0', available: '45' });
  });

  it('sends a POST once per Idempotency-Key: a repeated key gets the first answer', async () => {
    const governorClient = orchestratorClients()['economic-governor'];
    const first = await governorClient.openAccount({ ledger: 'AIA' }, { idempotencyKey: 'open-9' });
    const again = await governorClient.openAccount({ ledger: 'AIA' }, { idempotencyKey: 'open-9' });
    expect(again.id).toBe(first.id);
  });

  it('turns a problem answer into a ServiceProblemError with the ledger’s code', async () => {
    const governorClient = orchestratorClients()['economic-governor'];
    const missing = governorClient.account('0195f7a4-3c1e-4b7a-9d2e-8f6a1b2c3d4e');
    await expect(missing).rejects.toBeInstanceOf(ServiceProblemError);
    await expect(missing).rejects.toMatchObject({
      service: 'economic-governor',
      status: 404,
      code: 'not_found',
    });
    const empty = await governorClient.openAccount({ ledger: 'AIA' });
    const other = await governorClient.openAccount({ ledger: 'AIA' });
    await expect(
      governorClient.transfer({
        ledger: 'AIA',
        debit_account_id: empty.id,
        credit_account_id: other.id,
        amount: '1',
      }),
    ).rejects.toMatchObject({ status: 409, code: 'exceeds_credits' });
  });

  it('refuses a caller whose catalog calls do not grant the operation’s scope (403)', async () => {
    // The performance tracker may only read: opening an account needs ledger:write.
    const tracker = createServiceClients({
      service: 'performance-tracker',
      config: {
        SERVICE_SIGNING_KEY: testServiceKeys['performance-tracker'],
        ECONOMIC_GOVERNOR_URL: governor.url,
      },
    })['economic-governor'];
    expect((await tracker.ledgers()).map((ledger) => ledger.code)).toEqual(['AIA', 'AIA_GOV']);
    await expect(tracker.openAccount({ ledger: 'AIA' })).rejects.toMatchObject({ status: 403 });
  });

  it('answers 401 to a service token for another audience or signed for another subject, 403 beyond the grant', async () => {
    const token = (options: Partial<Parameters<typeof testServiceToken>[0]>) =>
      testServiceToken({
        service: 'agent-orchestrator',
        audience: 'economic-governor',
        scope: 'ledger:read',
        ...options,
      });
    expect((await rawGet('/ledgers', await token({}))).status).toBe(200);
    expect((await rawGet('/ledgers', await token({ audience: 'dkg-manager' }))).status).toBe(401);
    const forged = await token({ subject: 'service:performance-tracker' });
    expect((await rawGet('/ledgers', forged)).status).toBe(401);
    const greedy = await token({ scope: 'ledger:read treasury:admin' });
    const refused = await rawGet('/ledgers', greedy);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain(
      'may not call economic-governor with scope(s) treasury:admin',
    );
  });

  it('has no client of a service the caller does not call', () => {
    const clients = createServiceClients({ service: 'dkg-manager', config: {} });
    expect(() => clients['economic-governor']).toThrow(
      'dkg-manager does not call economic-governor: add it to the calls of services/dkg-manager/definition.ts',
    );
  });

  it('has committed client types that match what the served OpenAPI document generates', async () => {
    const served = await rawGet('/openapi.json', await testToken());
    expect(served.status).toBe(200);
    const generated = await clientTypesOf('economic-governor', await served.json());
    const committed = await readFile(
      join(import.meta.dirname, '../..', clientTypesPath('economic-governor')),
      'utf8',
    );
    // On a difference: npm run clients:generate, then commit services/*/openapi.gen.ts.
    expect(committed === generated).toBe(true);
  });
});
