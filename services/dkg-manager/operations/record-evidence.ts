import postgres from 'postgres';
import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';
import { isPostgresUnavailable } from '../../platform/database-errors.js';
import type { Database } from '../../platform/db.js';
import type { EvidenceKind } from '../domain/evidence.js';
import { nameKey } from '../domain/registries.js';
import { addRun, type RunOutcome } from '../repository/evidence-store.js';
import { lockEvidenceOf } from '../repository/mirror-locks.js';
import { copyEvidence } from './copy-evidence.js';
import type { DkgContext } from './dkg-context.js';
import { graphBeside } from './graph-in-transaction.js';

/** A target is stored normalised like a registry name, at most this long. */
const MAX_TARGET = 200;
const targetOf = (text: string) => nameKey(text).slice(0, MAX_TARGET);

/**
 * Counts one finished run (an `aia.agents.runs.v1` record) as evidence, in the consumer's
 * transaction `tx`, which also records the event as processed: so each run counts once. The run
 * adds to its agent's totals for the skill it names (`skill`; records without one, from producers
 * before version 2, are evidence of nothing) and, when it names both, to its strategy's totals for
 * its task type. The totals are then copied onto the graph's HAS_SKILL and APPLIES_TO edges;
 * where there is no edge yet, or (Neo4j) the graph does not answer, they wait (see
 * `copyEvidence` and the evidence-copy worker).
 */
export async function recordRunEvidence(
  context: DkgContext,
  tx: Database,
  record: AgentRunRecord,
): Promise<void> {
  const graph = graphBeside(context, tx);
  const copy = async (kind: EvidenceKind, subjectId: string) => {
    if (context.graph.backend === 'postgres') return copyEvidence(graph, tx, kind, subjectId);
    // On Neo4j the copy is a transaction of its own: a graph that does not answer must not make
    // a counted run fail (and, after its attempts, a dead letter). The totals commit marked not
    // copied; the copy worker copies them once the graph answers (its failures are logged).
    await copyEvidence(graph, tx, kind, subjectId).catch((error: unknown) => {
      if (error instanceof postgres.PostgresError || isPostgresUnavailable(error)) throw error;
    });
  };
  const run: RunOutcome = {
    outcome: record.outcome,
    cost: record.cost,
    durationMs: record.duration_ms,
    ...(record.quality === undefined ? {} : { quality: record.quality }),
  };
  if (record.skill !== undefined) {
    await lockEvidenceOf(tx, record.agent_id);
    await addRun(tx, 'agent_skill', record.agent_id, targetOf(record.skill), run);
    await copy('agent_skill', record.agent_id);
  }
  if (record.strategy !== undefined && record.task_type !== undefined) {
    await lockEvidenceOf(tx, record.strategy);
    await addRun(tx, 'strategy_task_type', record.strategy, targetOf(record.task_type), run);
    await copy('strategy_task_type', record.strategy);
  }
}
