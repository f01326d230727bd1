import type { Database } from '../../../platform/db.js';
import type { EpochActivity } from '../domain/epoch-score.js';

/**
 * Every agent's counts over the runs that finished in [startsAt, endsAt), in agent order. The
 * quality mean is taken in `numeric`, so it does not depend on the order rows are scanned in
 * (a float sum would, in its last bits).
 */
export async function epochActivity(
  sql: Database,
  startsAt: Date,
  endsAt: Date,
): Promise<EpochActivity[]> {
  const rows = await sql<
    {
      agent_id: string;
      runs: number;
      successes: number;
      failures: number;
      quality_mean: string | null;
      evaluated_runs: number;
    }[]
  >`
    select agent_id::text,
           count(*)::int as runs,
           (count(*) filter (where outcome = 'succeeded'))::int as successes,
           (count(*) filter (where outcome = 'failed'))::int as failures,
           round(avg(quality::numeric), 15)::text as quality_mean,
           count(quality)::int as evaluated_runs
      from tracker_runs
     where finished_at >= ${startsAt} and finished_at < ${endsAt}
     group by agent_id
     order by agent_id`;
  return rows.map((row) => ({
    agentId: row.agent_id,
    runs: row.runs,
    successes: row.successes,
    failures: row.failures,
    qualityMean: row.quality_mean === null ? null : Number(row.quality_mean),
    evaluatedRuns: row.evaluated_runs,
  }));
}
