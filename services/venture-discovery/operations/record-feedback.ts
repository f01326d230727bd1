import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../platform/errors.js';
import {
  type IdempotencyClaim,
  type IdempotentOutcome,
  runIdempotently,
} from '../../platform/idempotency/idempotent.js';
import { type FeedbackRow, insertFeedback } from '../repository/feedback-store.js';
import { findOpportunity, setStatus } from '../repository/opportunity-store.js';
import type { DiscoveryContext } from './discovery-context.js';

const CREATED = 201;

/** What a recorded verdict answers (and a retry under its Idempotency-Key answers again). */
export interface FeedbackReply {
  readonly status: typeof CREATED;
  readonly body: ReturnType<typeof feedbackBody>;
}

const feedbackBody = (row: FeedbackRow) => ({
  id: row.id,
  opportunity_id: row.opportunity_id,
  verdict: row.verdict,
  reason: row.reason,
  given_by: row.subject,
  created_at: row.created_at.toISOString(),
});

/**
 * Keeps a verdict on an opportunity, with who gave it, and sets its status (accepted or
 * rejected; a later verdict replaces the status, and both count for the weights). The next run
 * takes it into its weights. With an `Idempotency-Key` claim a retry replays the first reply and
 * records nothing, so the weights move once.
 */
export async function recordFeedback(
  context: DiscoveryContext,
  opportunityId: string,
  { verdict, reason }: { verdict: 'accept' | 'reject'; reason: string },
  subject: string,
  claim: IdempotencyClaim | undefined,
): Promise<IdempotentOutcome<FeedbackReply>> {
  return runIdempotently(context.sql, claim, async (tx) => {
    const opportunity = await findOpportunity(tx, opportunityId);
    if (!opportunity) throw new NotFoundError(`opportunity ${opportunityId} does not exist`);
    await setStatus(tx, opportunityId, verdict === 'accept' ? 'accepted' : 'rejected');
    const row = await insertFeedback(tx, {
      id: randomUUID(),
      opportunityId,
      verdict,
      reason,
      subject,
    });
    return { status: CREATED, body: feedbackBody(row) };
  });
}
