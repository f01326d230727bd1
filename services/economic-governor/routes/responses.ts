import { problemResponses } from '../../platform/openapi-responses.js';

/** The refusals every ledger route may answer, as RFC 9457 problem documents. */
export const PROBLEM_RESPONSES = problemResponses({
  403: 'A required scope is missing, or the caller may not move money out of the account',
  404: 'No such account, transfer or stake',
  409: 'The state refuses it: overdraft, already resolved, expired, locked, id or Idempotency-Key reused with other content',
});
