import { randomUUID } from 'node:crypto';
import { type Task, TaskState } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { agentRunRecord } from '../../events/schemas/agent-runs.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { writeRunFinished } from './task-events.js';

const database = useTestDatabase('orchestrator_run_events');
let sql: Database;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'run-events-test', max: 2 });
  await migrateService(sql, 'agent-orchestrator');
});
afterAll(async () => {
  await sql?.end();
});

/** An agent row with these card skill ids, straight into the registry's table. */
async function agentWithSkills(skillIds: readonly string[]): Promise<string> {
  const id = randomUUID();
  const skills = skillIds.map((skill) => ({
    id: skill,
    name: skill,
    description: skill,
    tags: [skill],
  }));
  await sql`
    insert into agents (id, owner, name, description, version, skills, input_modes, output_modes,
                        runtime, limits, ledger_account_id)
    values (${id}, 'ada', 'Evidence agent', '', '1.0.0', ${sql.json(skills)}, ${sql.array(['text/plain'])},
            ${sql.array(['text/plain'])}, ${sql.json({ kind: 'tool', tool: 'echo' })},
            ${sql.json({ concurrency: 1, default_budget_aia: '1' })}, ${randomUUID()})`;
  return id;
}

/** Ends a task with `metadata` for `agentId` and returns the run record written. */
async function runRecordOf(agentId: string, metadata: Record<string, unknown>) {
  const task = {
    id: randomUUID(),
    contextId: randomUUID(),
    status: { state: TaskState.TASK_STATE_COMPLETED },
    metadata,
  } as unknown as Task;
  await sql.begin((tx) =>
    writeRunFinished(tx as unknown as Database, task, {
      agentId,
      createdAt: new Date(Date.now() - 1_500),
      parentTaskId: null,
      children: 0,
      failedChildren: 0,
    }),
  );
  const [row] = await sql<{ payload: unknown }[]>`
    select payload from outbox where topic = 'aia.agents.runs.v1' and payload->>'task_id' = ${task.id}`;
  return agentRunRecord.parse(row?.payload);
}

describe('aia.agents.runs.v1 evidence fields', () => {
  it("carries the task's skill, strategy, task type and quality from its metadata", async () => {
    const agent = await agentWithSkills(['summaries']);
    const strategy = randomUUID();
    const record = await runRecordOf(agent, {
      skill: 'market-research',
      strategy,
      taskType: 'market sizing',
      quality: 0.75,
      cost: { aia: '0.25' },
    });
    expect(record).toMatchObject({
      agent_id: agent,
      outcome: 'succeeded',
      cost: '0.25',
      skill: 'market-research',
      strategy,
      task_type: 'market sizing',
      quality: 0.75,
    });
    expect(record.duration_ms).toBeGreaterThanOrEqual(1_500);
  });

  it("falls back to the agent's first card skill, then to general", async () => {
    expect((await runRecordOf(await agentWithSkills(['drafting', 'editing']), {})).skill).toBe(
      'drafting',
    );
    expect((await runRecordOf(await agentWithSkills([]), {})).skill).toBe('general');
  });

  it('leaves out what has the wrong shape instead of failing the ended task', async () => {
    const agent = await agentWithSkills(['drafting']);
    const record = await runRecordOf(agent, {
      skill: '   ',
      strategy: 'not-a-uuid',
      taskType: 'x'.repeat(201),
      quality: 1.5,
    });
    expect(record.skill).toBe('drafting');
    expect(record).not.toHaveProperty('strategy');
    expect(record).not.toHaveProperty('task_type');
    expect(record).not.toHaveProperty('quality');
    const nan = await runRecordOf(agent, { quality: Number.NaN, strategy: 42 });
    expect(nan).not.toHaveProperty('quality');
    expect(nan).not.toHaveProperty('strategy');
  });
});
