import { randomUUID } from 'node:crypto';
import type { AgentRunRecord } from '../../services/events/schemas/agent-runs.js';
import { seededRandom } from '../dkg/seeded-random.js';

/** What one ingest run takes in. */
export interface IngestShape {
  readonly events: number;
  readonly agents: number;
  readonly skills: number;
}

/**
 * `shape.events` finished runs of `shape.agents` agents over `shape.skills` skills (named with
 * `prefix`, so each measured run starts its skills afresh), each agent succeeding at its own
 * rate, finished within the last 6 hours: what the orchestrator publishes on aia.agents.runs.v1.
 */
export function ingestEvents(shape: IngestShape, prefix: string, seed: number): AgentRunRecord[] {
  const random = seededRandom(seed);
  const agents = Array.from({ length: shape.agents }, () => ({
    id: randomUUID(),
    rate: 0.5 + random.next() / 2,
  }));
  const now = Date.now();
  return Array.from({ length: shape.events }, () => {
    const agent = random.pick(agents);
    return {
      run_id: randomUUID(),
      agent_id: agent.id,
      task_id: randomUUID(),
      skill: `${prefix}-${random.below(shape.skills)}`,
      outcome: random.next() < agent.rate ? 'succeeded' : 'failed',
      cost: '0.5',
      duration_ms: 50 + random.below(2_000),
      finished_at: new Date(now - random.below(6 * 3_600_000)).toISOString(),
    };
  });
}

/** Splits events among `lanes` workers by agent, as a keyed topic's partitions do: one agent's runs stay in order in one lane. */
export function lanesByAgent<T extends { readonly agent_id: string }>(
  events: readonly T[],
  lanes: number,
): T[][] {
  const out: T[][] = Array.from({ length: lanes }, () => []);
  for (const event of events) {
    let hash = 0;
    for (const char of event.agent_id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    out[hash % lanes]?.push(event);
  }
  return out;
}
