import { randomUUID } from 'node:crypto';
import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';
import { recordSchemas } from '../../events/schemas/index.js';
import type { Database } from '../../platform/db.js';
import { type EventEnvelope, newEnvelope } from '../../platform/events/index.js';
import type { WindowSettings } from '../domain/windows.js';

/** The windows tests use: the defaults. */
export const TEST_WINDOWS: WindowSettings = { slidingDays: 7, halfLifeHours: 72 };

/** A valid `aia.agents.runs.v1` record of `agentId`, finished now unless `fields` say otherwise. */
export const runRecord = (
  agentId: string,
  fields: Partial<AgentRunRecord> = {},
): AgentRunRecord => ({
  run_id: randomUUID(),
  agent_id: agentId,
  task_id: randomUUID(),
  outcome: 'succeeded',
  cost: '0.5',
  duration_ms: 200,
  finished_at: new Date().toISOString(),
  ...fields,
});

/** `record` in an envelope, as the orchestrator's relay publishes it (keyed by agent). */
export const runEnvelope = (record: unknown, key?: string): EventEnvelope =>
  newEnvelope({
    topic: 'aia.agents.runs.v1',
    key: key ?? String((record as { agent_id?: unknown }).agent_id ?? 'unkeyed'),
    schemaVersion: recordSchemas['aia.agents.runs.v1'].version,
    producer: 'agent-orchestrator',
    record,
  });

/** An ISO time `hours` before `from`. */
export const hoursBefore = (from: Date, hours: number): string =>
  new Date(from.getTime() - hours * 3_600_000).toISOString();

/** The derived and kept tables, in an order that can be emptied. */
export const TRACKER_TABLES = [
  'tracker_runs',
  'tracker_scorecards',
  'tracker_dirty_rankings',
  'tracker_current_ranks',
  'tracker_rank_history',
] as const;

/** Every scorecard as stored, without its write time, in key order: to compare two states. */
export async function storedScorecards(sql: Database) {
  const rows = await sql`
    select window_name, skill, agent_id, as_of, runs, successes, failures, cancelled, score,
           quality_mean, quality_count, latency_p50_ms, latency_p95_ms, cost_total::text,
           cost_per_success::text
      from tracker_scorecards order by window_name, skill, agent_id`;
  return [...rows];
}
