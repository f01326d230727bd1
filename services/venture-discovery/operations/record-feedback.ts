import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/transactions.js';
import { type FeedbackRow, insertFeedback } from '../repository/feedback-store.js';
import { findOpportunity, setStatus } from '../repository/opportunity-store.js';
import type { DiscoveryContext } from './discovery-context.js';

/**
 * Keeps a verdict on an opportunity and sets its status (accepted or rejected; a later verdict
 * replaces the status, and both count for the weights). The next run takes it into its weights.
 */
export async function recordFeedback(
  context: DiscoveryContext,
  opportunityId: string,
  { verdict, reason }: { verdict: 'accept' | 'reject'; reason: string },
): Promise<FeedbackRow> {
  return inTransaction(context.sql, async (tx) => {
    const opportunity = await findOpportunity(tx, opportunityId);
    if (!opportunity) throw new NotFoundError(`opportunity ${opportunityId} does not exist`);
    await setStatus(tx, opportunityId, verdict === 'accept' ? 'accepted' : 'rejected');
    return insertFeedback(tx, { id: randomUUID(), opportunityId, verdict, reason });
  });
}
