import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';
import type { Database } from '../../platform/db.js';
import type { ReceivedEvent } from '../../platform/events/index.js';
import { agentScopesOfRun, skillKey } from '../domain/scope.js';
import { insertRun, lockScope } from '../repository/run-store.js';
import { recomputeScorecards } from './recompute-scorecards.js';
import type { TrackerContext } from './tracker-context.js';

/** What taking one run in did: `recorded`, or `duplicate_run` (its run id was kept already). */
export type IngestResult = 'recorded' | 'duplicate_run';

/**
 * Takes one finished run (`aia.agents.runs.v1`) into the scorecards, in the consumer's
 * transaction `tx` (the one that records the event in processed_events): the run is kept once by
 * its run id, then its agent's and its agent-in-skill's scorecards are recomputed from the runs
 * kept, and the rankings of its skill and of every agent are marked. Its skill's own scorecard
 * (every agent) is recomputed from those marks by the rank publisher, once per batch of runs
 * (`refreshSkillScorecards`). A late run (finished before runs already seen) lands in the
 * windows it belongs to; a window never moves back for it. The result is the same whatever order
 * the runs arrive in, so a replay from the topic's start rebuilds the same scorecards.
 */
export async function ingestRun(
  { windows, metrics }: TrackerContext,
  tx: Database,
  { id, record }: Pick<ReceivedEvent<AgentRunRecord>, 'id' | 'record'>,
): Promise<IngestResult> {
  const skill = skillKey(record.skill);
  const kept = await insertRun(tx, {
    runId: record.run_id,
    agentId: record.agent_id,
    skill,
    outcome: record.outcome,
    cost: record.cost,
    durationMs: record.duration_ms,
    quality: record.quality,
    finishedAt: record.finished_at,
    eventId: id,
  });
  if (!kept) return 'duplicate_run';
  // Only the agent's lock: its scopes sum its own runs, and the skill's scorecard, which sums
  // runs that consumers of other partitions take in at the same time, is not written here.
  await lockScope(tx, `agent:${record.agent_id}`);
  await recomputeScorecards(tx, agentScopesOfRun(record.agent_id, skill), windows);
  metrics?.runsIngested.inc({ outcome: record.outcome });
  metrics?.ingestLag.set(Math.max(0, (Date.now() - Date.parse(record.finished_at)) / 1_000));
  return 'recorded';
}
