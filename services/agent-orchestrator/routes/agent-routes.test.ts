import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testToken } from '../../../test/harness/jwt.js';
import {
  type GovernorServer,
  startGovernorServer,
} from '../../../test/service-clients/governor-server.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { registryApp } from '../testing/registry-app.js';

const database = useTestDatabase('orchestrator_agents');
const ledgerDatabase = useTestDatabase('orchestrator_ledger');
let governor: GovernorServer;
let sql: Database;
let ledger: Database;
let registry: ReturnType<typeof registryApp>;

beforeAll(async () => {
  governor = await startGovernorServer(ledgerDatabase.url);
  sql = createDatabase({ url: database.url, applicationName: 'orchestrator-test', max: 8 });
  ledger = createDatabase({ url: ledgerDatabase.url, applicationName: 'ledger-check', max: 2 });
  await migrateService(sql, 'agent-orchestrator');
  registry = registryApp(sql, { governorUrl: governor.url });
});
afterAll(async () => {
  await sql?.end();
  await ledger?.end();
  await governor?.stop();
});

interface AgentBody {
  id: string;
  owner: string;
  name: string;
  manager_id: string | null;
  ledger_account_id: string;
  status: string;
  skills: { id: string; tags: string[] }[];
  runtime: Record<string, unknown>;
}
const agentOf = async (res: Response) => ((await res.json()) as { agent: AgentBody }).agent;
const problemOf = async (res: Response) =>
  (await res.json()) as { type: string; errors?: { field: string; reason: string }[] };

const register = async (
  name: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => {
  const res = await registry.call('POST', '/agents', {
    body: {
      name,
      description: `${name}, for a test`,
      runtime: { kind: 'tool', tool: 'ledger-balance' },
      ...extra,
    },
    headers,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return agentOf(res);
};
const move = (id: string, managerId: string | null) =>
  registry.call('PATCH', `/agents/${id}`, { body: { manager_id: managerId } });
const managerOf = async (id: string) =>
  (await agentOf(await registry.call('GET', `/agents/${id}`))).manager_id;
const accountsOpenedFor = async (agentId: string) =>
  (
    await ledger<{ count: number }[]>`
      select count(*)::int as count from accounts
       where owner = 'service:agent-orchestrator' and memo = ${`agent ${agentId}`}`
  )[0]?.count;
const ledgerAccounts = async () =>
  (await ledger<{ count: number }[]>`select count(*)::int as count from accounts`)[0]?.count;

describe('registering an agent', () => {
  it('stores it with the caller as owner and its own AIA account opened in the ledger', async () => {
    const agent = await register('Researcher', {
      description: 'Finds sources',
      skills: [
        {
          id: 'search',
          name: 'Search',
          description: 'Searches the web',
          tags: ['research', 'web'],
        },
      ],
      limits: { concurrency: 3, default_budget_aia: '12.5' },
    });
    expect(agent).toMatchObject({
      name: 'Researcher',
      owner: 'ada',
      status: 'active',
      manager_id: null,
      limits: { concurrency: 3, default_budget_aia: '12.5' },
      skills: [
        {
          id: 'search',
          name: 'Search',
          tags: ['research', 'web'],
          description: 'Searches the web',
        },
      ],
    });
    const [account] = await ledger<{ owner: string; ledger: string }[]>`
      select owner, ledger from accounts where id = ${agent.ledger_account_id}`;
    expect(account).toEqual({ owner: 'service:agent-orchestrator', ledger: 'AIA' });
    expect(await agentOf(await registry.call('GET', `/agents/${agent.id}`))).toEqual(agent);
  });

  it('retried with the same Idempotency-Key, replays the agent and opens one ledger account', async () => {
    const headers = { 'Idempotency-Key': 'register-writer-1' };
    const body = {
      name: 'Writer',
      description: 'Writes',
      runtime: { kind: 'llm', instructions: 'Write.' },
    };
    const [first, second] = await Promise.all(
      [0, 1].map(() => registry.call('POST', '/agents', { body, headers })),
    );
    const third = await registry.call('POST', '/agents', { body, headers });
    const agents = await Promise.all([first, second, third].map((res) => agentOf(res as Response)));
    expect(new Set(agents.map((agent) => agent.id)).size).toBe(1);
    expect(new Set(agents.map((agent) => agent.ledger_account_id)).size).toBe(1);
    expect(third.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await accountsOpenedFor(agents[0]?.id as string)).toBe(1);
    const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`
      select count(*)::int as count from agents where name = 'Writer'`;
    expect(count).toBe(1);

    const other = await registry.call('POST', '/agents', {
      body: { ...body, name: 'Another writer' },
      headers,
    });
    expect(other.status).toBe(409);
  });

  it('retried after a failure that came after the account was opened, reuses that account', async () => {
    // The insert fails once, as a crash between the ledger and the registry would leave it.
    await sql`
      create function fail_flaky() returns trigger language plpgsql as $$
      begin raise exception 'flaky insert'; end $$`;
    await sql`
      create trigger fail_flaky before insert on agents for each row
        when (new.name = 'Flaky') execute function fail_flaky()`;
    const headers = { 'Idempotency-Key': 'register-flaky' };
    const body = {
      name: 'Flaky',
      description: 'Fails once',
      runtime: { kind: 'tool', tool: 'echo' },
    };
    expect((await registry.call('POST', '/agents', { body, headers })).status).toBe(500);
    const [{ count: none } = { count: -1 }] = await sql<{ count: number }[]>`
      select count(*)::int as count from agents where name = 'Flaky'`;
    expect(none).toBe(0);
    await sql`drop trigger fail_flaky on agents`;
    await sql`drop function fail_flaky`;

    const retried = await registry.call('POST', '/agents', { body, headers });
    expect(retried.status).toBe(201);
    const agent = await agentOf(retried);
    expect(await accountsOpenedFor(agent.id)).toBe(1);
  });

  it('replays a stored registration before checking anything again: after its manager retired, while the ledger is down', async () => {
    const manager = await register('Replay lead');
    const headers = { 'Idempotency-Key': 'register-under-replay-lead' };
    const body = {
      name: 'Replayed',
      description: 'Replayed',
      runtime: { kind: 'tool', tool: 'echo' },
      manager_id: manager.id,
    };
    const first = await registry.call('POST', '/agents', { body, headers });
    expect(first.status).toBe(201);
    const agent = await agentOf(first);
    expect((await move(agent.id, null)).status).toBe(200);
    expect((await registry.call('POST', `/agents/${manager.id}/retire`)).status).toBe(200);

    const afterRetired = await registry.call('POST', '/agents', { body, headers });
    expect(afterRetired.status).toBe(201);
    expect(afterRetired.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await agentOf(afterRetired)).id).toBe(agent.id);

    const cut = registryApp(sql, { governorUrl: 'http://127.0.0.1:9' });
    const ledgerDown = await cut.call('POST', '/agents', { body, headers });
    expect(ledgerDown.status).toBe(201);
    expect(ledgerDown.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await agentOf(ledgerDown)).id).toBe(agent.id);
  });

  it('leaves nothing behind when the ledger cannot be reached', async () => {
    const cut = registryApp(sql, { governorUrl: 'http://127.0.0.1:9' });
    const res = await cut.call('POST', '/agents', {
      body: {
        name: 'Unfunded',
        description: 'Never funded',
        runtime: { kind: 'tool', tool: 'echo' },
      },
    });
    expect(res.status).toBe(503);
    const [{ count } = { count: -1 }] = await sql<{ count: number }[]>`
      select count(*)::int as count from agents where name = 'Unfunded'`;
    expect(count).toBe(0);
  });

  it('refuses bad input with a 422 naming the field, before opening any account', async () => {
    const before = await ledgerAccounts();
    for (const [body, field] of [
      [{ name: '', runtime: { kind: 'tool', tool: 'echo' } }, 'name'],
      [{ name: 'A', runtime: { kind: 'shell' } }, 'runtime.kind'],
      [{ name: 'A', runtime: { kind: 'remote', card_url: 'ftp://x' } }, 'runtime.card_url'],
      [
        { name: 'A', runtime: { kind: 'tool', tool: 'echo' }, limits: { concurrency: 0 } },
        'limits.concurrency',
      ],
      [{ name: 'A', runtime: { kind: 'tool', tool: 'echo' }, manager_id: 'nope' }, 'manager_id'],
      [
        { name: 'A', runtime: { kind: 'tool', tool: 'echo' }, input_modes: ['not a type'] },
        'input_modes.0',
      ],
      [
        {
          name: 'A',
          description: 'Under nobody',
          runtime: { kind: 'tool', tool: 'echo' },
          manager_id: '00000000-0000-4000-8000-000000000000',
        },
        'manager_id',
      ],
    ] as const) {
      const res = await registry.call('POST', '/agents', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await problemOf(res)).errors?.map((error) => error.field)).toContain(field);
    }
    expect(await ledgerAccounts()).toBe(before);
  });

  it('refuses an llm agent naming a model class the LLM layer does not serve, on registering and on a change', async () => {
    const before = await ledgerAccounts();
    for (const modelClass of ['nope', 'embedding']) {
      const res = await registry.call('POST', '/agents', {
        body: {
          name: 'Dreamer',
          description: 'Dreams',
          runtime: { kind: 'llm', model_class: modelClass },
        },
      });
      expect(res.status, modelClass).toBe(422);
      expect((await problemOf(res)).errors?.map((error) => error.field)).toEqual([
        'runtime.model_class',
      ]);
    }
    expect(await ledgerAccounts()).toBe(before);
    const agent = await register('Thinker', { runtime: { kind: 'llm', model_class: 'strong' } });
    for (const runtime of [{ model_class: 'nope' }, { kind: 'llm', model_class: 'embedding' }]) {
      const res = await registry.call('PATCH', `/agents/${agent.id}`, { body: { runtime } });
      expect(res.status, JSON.stringify(runtime)).toBe(422);
      expect((await problemOf(res)).errors?.map((error) => error.field)).toEqual([
        'runtime.model_class',
      ]);
    }
    expect(
      (await agentOf(await registry.call('GET', `/agents/${agent.id}`))).runtime,
    ).toMatchObject({ kind: 'llm', model_class: 'strong' });
  });

  it('names the bounds of a number out of range, not only that it must be whole', async () => {
    for (const [extra, field, reason] of [
      [{ limits: { concurrency: -1 } }, 'limits.concurrency', 'must be from 1 to 1000'],
      [{ limits: { concurrency: 5000 } }, 'limits.concurrency', 'must be from 1 to 1000'],
      [{ limits: { concurrency: 1.5 } }, 'limits.concurrency', 'must be a whole number'],
      [{ runtime: { kind: 'llm', max_steps: 51 } }, 'runtime.max_steps', 'must be from 1 to 50'],
    ] as const) {
      const res = await registry.call('POST', '/agents', {
        body: {
          name: 'A',
          description: 'Bounds',
          runtime: { kind: 'tool', tool: 'echo' },
          ...extra,
        },
      });
      expect(res.status, JSON.stringify(extra)).toBe(422);
      expect((await problemOf(res)).errors).toEqual([{ field, reason }]);
    }
  });

  it('requires what an A2A 1.0 card needs: a description of the agent and of each skill, a tag per skill', async () => {
    const skill = { id: 's', name: 'S', description: 'Does S', tags: ['s'] };
    const runtime = { kind: 'tool', tool: 'echo' };
    for (const [body, field] of [
      [{ name: 'A', runtime }, 'description'],
      [{ name: 'A', description: '', runtime }, 'description'],
      [
        { name: 'A', description: 'D', runtime, skills: [{ ...skill, description: '' }] },
        'skills.0.description',
      ],
      [{ name: 'A', description: 'D', runtime, skills: [{ ...skill, tags: [] }] }, 'skills.0.tags'],
      [
        {
          name: 'A',
          description: 'D',
          runtime,
          skills: [{ id: 's', name: 'S', description: 'Does S' }],
        },
        'skills.0.tags',
      ],
    ] as const) {
      const res = await registry.call('POST', '/agents', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await problemOf(res)).errors?.map((error) => error.field)).toContain(field);
    }
  });

  it('needs agents:write to register and agents:read to read; a token always', async () => {
    const res = await registry.call('POST', '/agents', {
      scope: 'agents:read',
      body: { name: 'A', runtime: { kind: 'tool', tool: 'echo' } },
    });
    expect(res.status).toBe(403);
    expect((await registry.call('GET', '/agents', { scope: 'agents:write' })).status).toBe(403);
    expect((await registry.app.request('/v1/agents')).status).toBe(401);
  });

  it('lets only the owner or an agents:admin change or retire an agent', async () => {
    const agent = await register('Owned by ada');
    const bob = { as: 'bob', scope: 'agents:read agents:write' };
    const patched = await registry.call('PATCH', `/agents/${agent.id}`, {
      ...bob,
      body: { name: 'Taken' },
    });
    expect(patched.status).toBe(403);
    expect((await registry.call('POST', `/agents/${agent.id}/retire`, bob)).status).toBe(403);
    expect((await agentOf(await registry.call('GET', `/agents/${agent.id}`))).name).toBe(
      'Owned by ada',
    );
    const admin = await registry.call('PATCH', `/agents/${agent.id}`, {
      as: 'root',
      scope: 'agents:write agents:admin',
      body: { name: 'Renamed by an admin' },
    });
    expect(admin.status).toBe(200);
  });

  it('registers or moves an agent under a manager only for its owner or an agents:admin', async () => {
    const manager = await register('Ada lead');
    const bob = { as: 'bob', scope: 'agents:read agents:write' };
    const before = await ledgerAccounts();
    const under = await registry.call('POST', '/agents', {
      ...bob,
      body: {
        name: 'Bob report',
        description: 'Under ada',
        runtime: { kind: 'tool', tool: 'echo' },
        manager_id: manager.id,
      },
    });
    expect(under.status).toBe(403);
    expect((await problemOf(under)).type).toBe('urn:aia:problem:not_manager_owner');
    expect(await ledgerAccounts()).toBe(before);

    const bobs = await agentOf(
      await registry.call('POST', '/agents', {
        ...bob,
        body: {
          name: 'Bob root',
          description: 'A root of bob',
          runtime: { kind: 'tool', tool: 'echo' },
        },
      }),
    );
    const moved = await registry.call('PATCH', `/agents/${bobs.id}`, {
      ...bob,
      body: { manager_id: manager.id },
    });
    expect(moved.status).toBe(403);
    expect((await problemOf(moved)).type).toBe('urn:aia:problem:not_manager_owner');
    expect(await managerOf(bobs.id)).toBeNull();

    const admin = await registry.call('PATCH', `/agents/${bobs.id}`, {
      as: 'root',
      scope: 'agents:write agents:admin',
      body: { manager_id: manager.id },
    });
    expect(admin.status).toBe(200);
    expect(await managerOf(bobs.id)).toBe(manager.id);
  });

  it('refuses unknown fields and bodies that are not JSON', async () => {
    const unknown = await registry.call('POST', '/agents', {
      body: { name: 'A', runtime: { kind: 'tool', tool: 'echo' }, owner: 'someone-else' },
    });
    expect(unknown.status).toBe(422);
    const text = await registry.app.request('/v1/agents', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await testToken({ subject: 'ada', scope: 'agents:write' })}`,
        'Content-Type': 'text/plain',
      },
      body: 'name=A',
    });
    expect(text.status).toBe(415);
  });

  it('documents its routes in /v1/openapi.json', async () => {
    const res = await registry.call('GET', '/openapi.json');
    const document = (await res.json()) as { paths: Record<string, object> };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/agents',
      '/agents/{id}',
      '/agents/{id}/reports',
      '/agents/{id}/retire',
      '/tasks/{id}/tree',
    ]);
  });

  it('answers 404 for an unknown agent', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    expect((await registry.call('GET', `/agents/${unknown}`)).status).toBe(404);
    expect((await move(unknown, null)).status).toBe(404);
    expect((await registry.call('POST', `/agents/${unknown}/retire`)).status).toBe(404);
    expect((await registry.call('GET', `/agents/${unknown}/reports`)).status).toBe(404);
  });
});

describe('the hierarchy', () => {
  it('refuses a move that would make a cycle, and changes nothing', async () => {
    const root = await register('Root');
    const child = await register('Child', { manager_id: root.id });
    const grandchild = await register('Grandchild', { manager_id: child.id });
    for (const [id, managerId] of [
      [root.id, grandchild.id],
      [root.id, child.id],
      [child.id, child.id],
    ] as const) {
      const res = await move(id, managerId);
      expect(res.status).toBe(409);
      const problem = await problemOf(res);
      expect(problem.type).toBe('urn:aia:problem:hierarchy_cycle');
      expect(problem.errors?.[0]?.field).toBe('manager_id');
    }
    expect(await managerOf(root.id)).toBeNull();
    expect(await managerOf(child.id)).toBe(root.id);
  });

  it(`refuses depth beyond MAX_DELEGATION_DEPTH (4: a root and four levels below), for a new agent and for a moved subtree`, async () => {
    let manager = await register('Level 0');
    const chain = [manager];
    for (let level = 1; level <= 4; level++) {
      manager = await register(`Level ${level}`, { manager_id: manager.id });
      chain.push(manager);
    }
    const before = await ledgerAccounts();
    const tooDeep = await registry.call('POST', '/agents', {
      body: {
        name: 'Level 5',
        description: 'Too deep',
        runtime: { kind: 'tool', tool: 'echo' },
        manager_id: manager.id,
      },
    });
    expect(tooDeep.status).toBe(409);
    expect((await problemOf(tooDeep)).type).toBe('urn:aia:problem:delegation_too_deep');
    expect(await ledgerAccounts()).toBe(before);

    // A root with one report (a subtree two levels high) fits under level 2, not under level 3.
    const lead = await register('Lead');
    await register('Helper', { manager_id: lead.id });
    const under3 = await move(lead.id, chain[3]?.id as string);
    expect(under3.status).toBe(409);
    expect((await problemOf(under3)).type).toBe('urn:aia:problem:delegation_too_deep');
    expect(await managerOf(lead.id)).toBeNull();
    expect((await move(lead.id, chain[2]?.id as string)).status).toBe(200);
    expect(await managerOf(lead.id)).toBe(chain[2]?.id);
  });

  it('of two concurrent moves that together would form a cycle, lets at most one through', async () => {
    for (let round = 0; round < 5; round++) {
      const x = await register(`X${round}`);
      const y = await register(`Y${round}`);
      const results = await Promise.all([move(x.id, y.id), move(y.id, x.id)]);
      const statuses = results.map((res) => res.status).sort();
      expect(statuses).toEqual([200, 409]);
      const refused = results.find((res) => res.status === 409) as Response;
      expect((await problemOf(refused)).type).toBe('urn:aia:problem:hierarchy_cycle');
      const managers = [await managerOf(x.id), await managerOf(y.id)];
      expect(managers.filter((m) => m !== null)).toHaveLength(1);
    }
  });

  it('lists the whole subtree below an agent with depths, nearest first', async () => {
    const head = await register('Head');
    const a = await register('A', { manager_id: head.id });
    const b = await register('B', { manager_id: head.id });
    const a1 = await register('A1', { manager_id: a.id });
    const res = await registry.call('GET', `/agents/${head.id}/reports`);
    const { reports } = (await res.json()) as { reports: { id: string; depth: number }[] };
    expect(reports.map(({ id, depth }) => [id, depth])).toEqual([
      [a.id, 1],
      [b.id, 1],
      [a1.id, 2],
    ]);
  });
});

describe('retiring an agent', () => {
  it('is refused while it has active reports; a retired agent manages no one and cannot change', async () => {
    const boss = await register('Boss');
    const report = await register('Report', { manager_id: boss.id });
    const refused = await registry.call('POST', `/agents/${boss.id}/retire`);
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).type).toBe('urn:aia:problem:has_active_reports');
    expect((await agentOf(await registry.call('GET', `/agents/${boss.id}`))).status).toBe('active');

    const retired = await agentOf(await registry.call('POST', `/agents/${report.id}/retire`));
    expect(retired).toMatchObject({ status: 'retired' });
    // Again: the same answer.
    expect((await registry.call('POST', `/agents/${report.id}/retire`)).status).toBe(200);
    expect((await registry.call('POST', `/agents/${boss.id}/retire`)).status).toBe(200);

    const under = await registry.call('POST', '/agents', {
      body: {
        name: 'New',
        description: 'Under a retired boss',
        runtime: { kind: 'tool', tool: 'echo' },
        manager_id: boss.id,
      },
    });
    expect(under.status).toBe(409);
    expect((await problemOf(under)).type).toBe('urn:aia:problem:manager_retired');
    const active = await register('Active');
    const moved = await move(active.id, report.id);
    expect((await problemOf(moved)).type).toBe('urn:aia:problem:manager_retired');
    const changed = await registry.call('PATCH', `/agents/${report.id}`, { body: { name: 'X' } });
    expect((await problemOf(changed)).type).toBe('urn:aia:problem:agent_retired');
  });
});

describe('updating and listing', () => {
  it('changes the given fields only', async () => {
    const agent = await register('Analyst', { description: 'Reads numbers' });
    const res = await registry.call('PATCH', `/agents/${agent.id}`, {
      body: {
        name: 'Senior analyst',
        skills: [{ id: 'forecast', name: 'Forecast', description: 'Forecasts', tags: ['finance'] }],
        limits: { concurrency: 5, default_budget_aia: '3' },
      },
    });
    expect(res.status).toBe(200);
    expect(await agentOf(res)).toMatchObject({
      name: 'Senior analyst',
      description: 'Reads numbers',
      limits: { concurrency: 5, default_budget_aia: '3' },
      ledger_account_id: agent.ledger_account_id,
    });
    const empty = await registry.call('PATCH', `/agents/${agent.id}`, { body: {} });
    expect(empty.status).toBe(422);

    const manager = await register('Analysts lead');
    expect((await move(agent.id, manager.id)).status).toBe(200);
    expect(await managerOf(agent.id)).toBe(manager.id);
    // null: a root again.
    expect((await move(agent.id, null)).status).toBe(200);
    expect(await managerOf(agent.id)).toBeNull();
  });

  it('keeps the stored values of nested fields a change leaves out', async () => {
    const agent = await register('Planner', {
      runtime: { kind: 'llm', model_class: 'strong', instructions: 'Plan.', max_steps: 20 },
      limits: { concurrency: 2, default_budget_aia: '7.5' },
    });
    const patch = (body: unknown) => registry.call('PATCH', `/agents/${agent.id}`, { body });
    expect(await agentOf(await patch({ limits: { concurrency: 5 } }))).toMatchObject({
      limits: { concurrency: 5, default_budget_aia: '7.5' },
    });
    expect(
      await agentOf(await patch({ runtime: { instructions: 'Plan carefully.' } })),
    ).toMatchObject({
      runtime: {
        kind: 'llm',
        model_class: 'strong',
        instructions: 'Plan carefully.',
        max_steps: 20,
      },
    });
    expect(await agentOf(await patch({ runtime: { kind: 'llm', max_steps: 3 } }))).toMatchObject({
      runtime: {
        kind: 'llm',
        model_class: 'strong',
        instructions: 'Plan carefully.',
        max_steps: 3,
      },
    });
    // Another kind replaces the runtime: its own fields, nothing of the old one.
    expect(
      (await agentOf(await patch({ runtime: { kind: 'tool', tool: 'structured-report' } })))
        .runtime,
    ).toEqual({
      kind: 'tool',
      tool: 'structured-report',
    });
    const missing = await patch({ runtime: { kind: 'remote' } });
    expect(missing.status).toBe(422);
    expect((await problemOf(missing)).errors?.map((error) => error.field)).toContain(
      'runtime.card_url',
    );
    const foreign = await patch({ runtime: { instructions: 'Not a tool field.' } });
    expect(foreign.status).toBe(422);
    expect((await problemOf(foreign)).errors?.map((error) => error.field)).toContain(
      'runtime.instructions',
    );
  });

  it('filters by manager, status and skill tag, a page at a time', async () => {
    const lead = await register('List lead');
    const members = [];
    for (let i = 0; i < 5; i++)
      members.push(
        await register(`Member ${i}`, {
          manager_id: lead.id,
          skills: [
            {
              id: 'task',
              name: 'Task',
              description: 'A task',
              tags: i % 2 === 0 ? ['even-tag'] : ['odd-tag'],
            },
          ],
        }),
      );
    await registry.call('POST', `/agents/${members[4]?.id}/retire`);
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = `manager=${lead.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await registry.call('GET', `/agents?${query}`)).json()) as {
        agents: AgentBody[];
        next_cursor: string | null;
      };
      pages.push(page.agents.map((agent) => agent.name));
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).toEqual([['Member 0', 'Member 1'], ['Member 2', 'Member 3'], ['Member 4']]);
    const names = async (query: string) =>
      (
        (await (await registry.call('GET', `/agents?manager=${lead.id}&${query}`)).json()) as {
          agents: AgentBody[];
        }
      ).agents.map((agent) => agent.name);
    expect(await names('skill=even-tag&status=active')).toEqual(['Member 0', 'Member 2']);
    expect(await names('status=retired')).toEqual(['Member 4']);
    const bad = await registry.call('GET', '/agents?status=sleeping');
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors?.[0]?.field).toBe('status');
  });
});
