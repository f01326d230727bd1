import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { TransferFailure } from './types.js';

/**
 * Every reason a transfer is refused, with the HTTP status a single-transfer request answers:
 * 422 for a request that can never succeed as written, 409 for one the current state refuses,
 * 403 for a caller who may not move the money, 404 for an unknown target.
 */
export const FAILURE_STATUS = {
  amount_must_be_positive: 422,
  account_not_found: 422,
  accounts_must_be_different: 422,
  ledger_mismatch: 422,
  issuance_account_reserved: 422,
  staking_account_reserved: 422,
  not_account_owner: 403,
  exceeds_credits: 409,
  exceeds_debits: 409,
  overflows_debits: 422,
  overflows_credits: 422,
  exists_with_different_fields: 409,
  pending_transfer_not_found: 404,
  pending_transfer_not_pending: 422,
  pending_transfer_already_posted: 409,
  pending_transfer_already_voided: 409,
  pending_transfer_already_expired: 409,
  pending_transfer_expired: 409,
  pending_transfer_not_expired: 409,
  exceeds_pending_amount: 422,
  linked_event_failed: 422,
  linked_event_chain_open: 422,
} as const satisfies Record<string, ContentfulStatusCode>;

export type FailureCode = keyof typeof FAILURE_STATUS;

export const failure = (code: FailureCode, field: string | undefined, detail: string) =>
  ({ code, ...(field ? { field } : {}), detail }) satisfies TransferFailure;
