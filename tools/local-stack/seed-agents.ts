import { nameBasedUuid } from '../../services/platform/name-based-uuid.js';

/** Sends `init` to `path` under a service's `/v1`. */
export type ServiceFetch = (path: string, init: RequestInit) => Promise<Response>;

export interface SeedTargets {
  readonly orchestrator: ServiceFetch;
  readonly governor: ServiceFetch;
  /** A bearer token for `subject` with `scope`. */
  readonly token: (subject: string, scope: string) => Promise<string>;
}

/** Who owns the seeded agents: a person's subject, as `npm run token -- --sub` would give. */
export const SEED_OWNER = 'user:developer';

interface SeedAgent {
  readonly key: string;
  readonly manager?: string;
  readonly body: Record<string, unknown>;
  /** AIA moved from the treasury to its account once. */
  readonly funds: string;
}

const skill = (id: string, name: string, tags: string[]) => ({
  id,
  name,
  description: name,
  tags,
  examples: [],
});

/**
 * The local default hierarchy: a chief of staff who delegates to a research lead (who delegates
 * to an analyst and a report writer) and a ledger clerk; managers are funded to pay their reports.
 */
export const SEED_AGENTS: readonly SeedAgent[] = [
  {
    key: 'chief',
    funds: '1000',
    body: {
      name: 'Chief of Staff',
      description: 'Takes any request and splits it among the research lead and the ledger clerk',
      skills: [skill('coordination', 'Coordination', ['planning', 'delegation'])],
      runtime: {
        kind: 'llm',
        model_class: 'strong',
        instructions: 'You coordinate. Split requests among your reports, then answer from theirs.',
      },
      limits: { concurrency: 8, default_budget_aia: '20' },
    },
  },
  {
    key: 'research',
    manager: 'chief',
    funds: '200',
    body: {
      name: 'Research Lead',
      description: 'Researches a question with an analyst and a report writer',
      skills: [skill('research', 'Research', ['research', 'analysis'])],
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Research the question.' },
      limits: { concurrency: 8, default_budget_aia: '8' },
    },
  },
  {
    key: 'clerk',
    manager: 'chief',
    funds: '0',
    body: {
      name: 'Ledger Clerk',
      description: 'Reads its own AIA account in the ledger',
      skills: [skill('ledger', 'Ledger balances', ['ledger', 'finance'])],
      runtime: { kind: 'tool', tool: 'ledger-balance' },
      limits: { concurrency: 8, default_budget_aia: '1' },
    },
  },
  {
    key: 'analyst',
    manager: 'research',
    funds: '0',
    body: {
      name: 'Analyst',
      description: 'Answers one focused question',
      skills: [skill('analysis', 'Analysis', ['analysis'])],
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Answer briefly and precisely.' },
      limits: { concurrency: 8, default_budget_aia: '2' },
    },
  },
  {
    key: 'writer',
    manager: 'research',
    funds: '0',
    body: {
      name: 'Report Writer',
      description: 'Writes a structured report',
      skills: [skill('reporting', 'Structured reports', ['report', 'writing'])],
      runtime: { kind: 'tool', tool: 'structured-report' },
      limits: { concurrency: 8, default_budget_aia: '2' },
    },
  },
];

interface Registered {
  id: string;
  name: string;
  owner: string;
  status: string;
  ledger_account_id: string;
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok)
    throw new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

/**
 * Registers the default hierarchy unless its owner has it already (an active agent of each
 * name), and funds the managers from the treasury, each transfer once (its id derives from the
 * agent's). Returns the agents by key.
 */
export async function seedAgents(targets: SeedTargets): Promise<Record<string, Registered>> {
  const writer = `Bearer ${await targets.token(SEED_OWNER, 'agents:read agents:write')}`;
  const { agents } = await json<{ agents: Registered[] }>(
    await targets.orchestrator('/agents?status=active&limit=200', {
      headers: { authorization: writer },
    }),
    'listing agents',
  );
  const seeded: Record<string, Registered> = {};
  for (const agent of SEED_AGENTS) {
    const name = agent.body.name as string;
    const managerId = agent.manager ? seeded[agent.manager]?.id : undefined;
    const existing = agents.find((a) => a.owner === SEED_OWNER && a.name === name);
    seeded[agent.key] =
      existing ??
      (
        await json<{ agent: Registered }>(
          await targets.orchestrator('/agents', {
            method: 'POST',
            headers: { authorization: writer, 'content-type': 'application/json' },
            body: JSON.stringify({
              ...agent.body,
              ...(managerId ? { manager_id: managerId } : {}),
            }),
          }),
          `registering ${name}`,
        )
      ).agent;
  }
  await fund(targets, seeded);
  return seeded;
}

async function fund(targets: SeedTargets, seeded: Record<string, Registered>): Promise<void> {
  const treasurer = `Bearer ${await targets.token('user:treasurer', 'ledger:read ledger:write treasury:admin')}`;
  const { ledgers } = await json<{
    ledgers: { code: string; system_accounts: { treasury: string } }[];
  }>(
    await targets.governor('/ledgers', { headers: { authorization: treasurer } }),
    'reading the ledgers',
  );
  const treasury = ledgers.find((ledger) => ledger.code === 'AIA')?.system_accounts.treasury;
  if (!treasury) throw new Error('the ledger has no AIA treasury');
  for (const agent of SEED_AGENTS) {
    const account = seeded[agent.key]?.ledger_account_id;
    if (!account || agent.funds === '0') continue;
    const response = await targets.governor('/transfers', {
      method: 'POST',
      headers: { authorization: treasurer, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: nameBasedUuid(`seed-funds:${account}`),
        ledger: 'AIA',
        debit_account_id: treasury,
        credit_account_id: account,
        amount: agent.funds,
        memo: `local stack: funds for ${agent.body.name as string}`,
      }),
    });
    await json(response, `funding ${agent.body.name as string}`);
  }
}
