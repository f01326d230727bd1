import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { inTransaction } from '../../platform/transactions.js';
import { RunQueue } from './run-queue.js';

const database = useTestDatabase('orchestrator_run_groups');
let sql: Database;
let queue: RunQueue;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'run-groups-test', max: 4 });
  queue = new RunQueue({
    connectionString: database.url,
    localConcurrency: 6,
    pollingIntervalSeconds: 0.5,
  });
  await queue.start(() => {});
});
afterAll(async () => {
  await queue?.stop({ timeoutMs: 2_000 });
  await sql?.end();
});

describe("an agent's runs", () => {
  it("carry their agent as pg-boss's group, its limits.concurrency as the group's tier", async () => {
    const agent = { id: randomUUID(), concurrency: 3 };
    const [run, combine, settle] = [randomUUID(), randomUUID(), randomUUID()];
    await inTransaction(sql, async (tx) => {
      await queue.enqueue(tx, run, 'run', agent);
      await queue.enqueue(tx, combine, 'combine', agent);
      await queue.enqueue(tx, settle, 'settle');
    });
    const rows = await sql<{ task: string; group_id: string | null; group_tier: string | null }[]>`
      select data->>'taskId' as task, group_id, group_tier from pgboss.job
      where data->>'taskId' = any(${[run, combine, settle]}::text[])`;
    const groupOf = (task: string) => rows.find((row) => row.task === task);
    expect(groupOf(run)).toMatchObject({ group_id: agent.id, group_tier: '3' });
    expect(groupOf(combine)).toMatchObject({ group_id: agent.id, group_tier: '3' });
    expect(groupOf(settle)).toMatchObject({ group_id: null, group_tier: null });
  });

  it('give settle and cascade steps more attempts than a run', async () => {
    const taskId = randomUUID();
    await inTransaction(sql, async (tx) => {
      await queue.enqueue(tx, taskId, 'run');
      await queue.enqueue(tx, taskId, 'settle');
    });
    const rows = await sql<{ data: { step: string }; retry_limit: number }[]>`
      select data, retry_limit from pgboss.job where data->>'taskId' = ${taskId}`;
    const limitOf = (step: string) => rows.find((row) => row.data.step === step)?.retry_limit;
    expect(limitOf('run')).toBe(2);
    expect(limitOf('settle')).toBeGreaterThan(20);
  });
});
