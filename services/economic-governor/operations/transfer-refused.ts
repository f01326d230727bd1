import { AppError } from '../../platform/errors.js';
import { FAILURE_STATUS, type FailureCode } from '../domain/failures.js';
import type { LedgerCode } from '../domain/ledgers.js';
import type { TransferFailure } from '../domain/types.js';

/** A single transfer the ledger refused: the problem names the rule, the field and the reason. */
export class TransferRefusedError extends AppError {
  readonly ledger: LedgerCode | undefined;

  constructor(failure: TransferFailure, ledger?: LedgerCode) {
    super(FAILURE_STATUS[failure.code as FailureCode] ?? 422, failure.code, failure.detail, {
      extensions: failure.field
        ? { errors: [{ field: failure.field, reason: failure.detail }] }
        : {},
    });
    this.ledger = ledger;
  }
}
