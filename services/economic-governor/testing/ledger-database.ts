import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { inTransaction } from '../../platform/transactions.js';
import { type LedgerCode, systemAccountId } from '../domain/ledgers.js';
import type { CreateCommand, TransferCommand, TransferResult } from '../domain/types.js';
import { applyOperation, type Caller } from '../operations/apply-operation.js';
import { ensureGenesis } from '../operations/genesis.js';
import { insertAccounts } from '../repository/account-store.js';

export const SUPPLIES = { AIA: '1000000000', AIA_GOV: '100000000' } as const;
export const silentLogger = pino({ level: 'silent' });

/** A migrated ledger database with genesis done, for the calling test file. */
export function useLedgerDatabase(label = 'ledger'): {
  readonly sql: Database;
  readonly url: string;
} {
  const database = useTestDatabase(label);
  let sql: Database | undefined;
  beforeAll(async () => {
    sql = createDatabase({ url: database.url, applicationName: label, max: 20 });
    await migrateService(sql, 'economic-governor');
    await ensureGenesis(sql, SUPPLIES, silentLogger);
  });
  afterAll(() => sql?.end());
  return {
    get sql() {
      if (!sql) throw new Error('the ledger database is ready only inside tests and hooks');
      return sql;
    },
    get url() {
      return database.url;
    },
  };
}

/** Opens user accounts (overdraft forbidden) owned by `owner`; returns their ids. */
export async function openUserAccounts(
  sql: Database,
  count: number,
  owner = 'alice',
  ledger: LedgerCode = 'AIA',
): Promise<string[]> {
  const accounts = Array.from({ length: count }, () => ({
    id: randomUUID(),
    ledger,
    kind: 'user' as const,
    owner,
    debitsMustNotExceedCredits: true,
    creditsMustNotExceedDebits: false,
  }));
  await insertAccounts(sql, accounts);
  return accounts.map((account) => account.id);
}

export const treasuryOf = (ledger: LedgerCode) => systemAccountId(ledger, 'treasury');

/** A plain AIA transfer command (fresh id) of `amount` minor units; `extra` overrides any field. */
export const transferCommand = (
  debit: string,
  credit: string,
  amount: bigint,
  extra: Partial<CreateCommand> = {},
): CreateCommand => ({
  type: 'create',
  id: randomUUID(),
  kind: 'transfer',
  ledger: 'AIA',
  debitAccountId: debit,
  creditAccountId: credit,
  amount,
  ...extra,
});

/** One AIA token in minor units. */
export const TOKEN = 10n ** 18n;
export const ADMIN: Caller = { subject: 'treasurer', admin: true };
export const ALICE: Caller = { subject: 'alice', admin: false };

/** Applies commands as `caller` in a transaction of their own; returns the per-command results. */
export async function apply(
  sql: Database,
  caller: Caller,
  commands: TransferCommand[],
): Promise<TransferResult[]> {
  const { results } = await inTransaction(sql, (tx) =>
    applyOperation(tx, caller, { action: 'test', ledger: 'AIA', commands }),
  );
  return results;
}
