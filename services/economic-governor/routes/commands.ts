import { randomUUID } from 'node:crypto';
import type { z } from '@hono/zod-openapi';
import { ValidationError } from '../../platform/errors.js';
import { AmountError, parseAmount } from '../domain/amounts.js';
import { type LedgerCode, scaleOf } from '../domain/ledgers.js';
import type { CreateCommand, CreateKind, TransferCommand } from '../domain/types.js';
import type { BatchItemSchema, NewTransferSchema } from './schemas.js';

/** Minor units of an amount field, or a 422 naming the field and why. */
export function amountField(text: string, ledger: LedgerCode, field: string): bigint {
  try {
    return parseAmount(text, scaleOf(ledger));
  } catch (error) {
    if (error instanceof AmountError) throw new ValidationError([{ field, reason: error.message }]);
    throw error;
  }
}

type NewTransfer = z.output<typeof NewTransferSchema>;

/** A create command from a request; the id is the client's or a new one. */
export function createCommand(
  input: NewTransfer,
  kind: CreateKind = input.pending ? 'pending' : 'transfer',
  field = '',
): CreateCommand {
  return {
    type: 'create',
    id: input.id ?? randomUUID(),
    kind,
    ledger: input.ledger,
    debitAccountId: input.debit_account_id,
    creditAccountId: input.credit_account_id,
    amount: amountField(input.amount, input.ledger, `${field}amount`),
    ...(input.pending?.timeout_seconds !== undefined
      ? { timeoutSeconds: input.pending.timeout_seconds }
      : {}),
    ...(input.memo !== undefined ? { memo: input.memo } : {}),
  };
}

type BatchItem = z.output<typeof BatchItemSchema>;

/**
 * Commands of a batch in order; `atomic` links every entry to the next. A post's amount is
 * checked against the pending transfer's ledger when the engine knows it, so here only its format.
 */
export function batchCommands(items: readonly BatchItem[], atomic: boolean): TransferCommand[] {
  return items.map((item, index): TransferCommand => {
    const linked = atomic ? index < items.length - 1 : item.linked;
    const field = `transfers.${index}.`;
    if (item.type === 'transfer') {
      return { ...createCommand(item as NewTransfer, undefined, field), linked };
    }
    const id = item.id ?? randomUUID();
    const pendingId = item.pending_id as string;
    if (item.type === 'void')
      return {
        type: 'void',
        id,
        pendingId,
        linked,
        ...(item.memo !== undefined ? { memo: item.memo } : {}),
      };
    return {
      type: 'post',
      id,
      pendingId,
      linked,
      // Both ledgers have the same scale, so the format check does not need the pending's ledger.
      ...(item.amount !== undefined
        ? { amount: amountField(item.amount, 'AIA', `${field}amount`) }
        : {}),
      ...(item.memo !== undefined ? { memo: item.memo } : {}),
    };
  });
}
