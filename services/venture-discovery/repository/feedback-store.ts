import type { Database } from '../../platform/db.js';
import type { ComponentValues } from '../domain/weights.js';

export interface FeedbackRow {
  readonly id: string;
  readonly opportunity_id: string;
  readonly verdict: 'accept' | 'reject';
  readonly reason: string;
  /** Who gave it (the caller's subject); null for feedback kept before subjects were. */
  readonly subject: string | null;
  readonly applied_in_run: string | null;
  readonly created_at: Date;
}

export async function insertFeedback(
  tx: Database,
  f: {
    id: string;
    opportunityId: string;
    verdict: 'accept' | 'reject';
    reason: string;
    subject: string;
  },
): Promise<FeedbackRow> {
  const [row] = await tx<FeedbackRow[]>`
    insert into discovery_feedback (id, opportunity_id, verdict, reason, subject)
    values (${f.id}, ${f.opportunityId}, ${f.verdict}, ${f.reason}, ${f.subject})
    returning *`;
  if (!row) throw new Error('feedback not written');
  return row;
}

/** Feedback no run has taken in yet, with the component values of its opportunity. */
export async function pendingFeedback(
  sql: Database,
): Promise<{ id: string; verdict: 'accept' | 'reject'; components: ComponentValues }[]> {
  const rows = await sql<
    { id: string; verdict: 'accept' | 'reject'; components: Record<string, { value: number }> }[]
  >`
    select f.id, f.verdict, o.components
      from discovery_feedback f join discovery_opportunities o on o.id = f.opportunity_id
     where f.applied_in_run is null
     order by f.created_at, f.id`;
  return rows.map((r) => ({
    id: r.id,
    verdict: r.verdict,
    components: Object.fromEntries(
      Object.entries(r.components).map(([name, c]) => [name, c.value]),
    ) as unknown as ComponentValues,
  }));
}

/** Marks feedback as taken in by `runId`: the next run does not count it again. */
export async function markApplied(
  tx: Database,
  ids: readonly string[],
  runId: string,
): Promise<void> {
  if (ids.length === 0) return;
  await tx`
    update discovery_feedback set applied_in_run = ${runId}
     where id = any(${ids as string[]}::uuid[]) and applied_in_run is null`;
}
