import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import {
  type LedgerCode,
  systemAccountId,
} from '../../services/economic-governor/domain/ledgers.js';
import type {
  CreateCommand,
  TransferCommand,
  TransferResult,
} from '../../services/economic-governor/domain/types.js';
import { ensureGenesis } from '../../services/economic-governor/genesis.js';
import { applyOperation, type Caller } from '../../services/economic-governor/ledger.js';
import { insertAccounts } from '../../services/economic-governor/repository/account-store.js';
import { inTransaction } from '../../services/economic-governor/repository/transaction.js';
import { createDatabase, type Database } from '../../services/platform/db.js';
import { loadMigrations, migrate, migrationsDirOf } from '../../services/platform/migrations.js';
import { useTestDatabase } from '../harness/databases.js';

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
    const migrations = await loadMigrations(migrationsDirOf('economic-governor'));
    await migrate(sql, { service: 'economic-governor', migrations });
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
