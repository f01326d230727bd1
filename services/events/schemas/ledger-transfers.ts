import { z } from 'zod';
import { decimal, timestamp, uuid } from './fields.js';

/** A bigint column as PostgreSQL's `jsonb_build_object` renders it: a JSON number. */
const serial = z.number().int().positive();

/**
 * `aia.ledger.transfers.v1`: one record per committed transfer, exactly what the economic
 * governor's `writeTransfers` puts in its outbox (services/economic-governor/repository/
 * transfer-store.ts). `amount` is the decimal string of the ledger's unit, never a float; `seq`
 * orders transfers as committed; `created_at` is the commit clock.
 */
export const ledgerTransferRecord = z.strictObject({
  transfer_id: uuid,
  seq: serial,
  ledger: z.enum(['AIA', 'AIA_GOV']),
  kind: z.enum([
    'transfer',
    'pending',
    'post',
    'void',
    'expire',
    'mint',
    'burn',
    'stake',
    'unstake',
    'reward',
  ]),
  debit_account_id: uuid,
  credit_account_id: uuid,
  amount: decimal.refine((value) => !value.startsWith('-'), 'expected a positive amount'),
  /** The pending transfer that a `post`, `void` or `expire` resolves; null otherwise. */
  pending_id: uuid.nullable(),
  /** The audit-log entry of the operation that made the transfer. */
  audit_id: serial,
  created_at: timestamp,
});

export type LedgerTransferRecord = z.infer<typeof ledgerTransferRecord>;
