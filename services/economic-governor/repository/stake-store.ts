import type { Database } from '../../platform/db.js';
import type { LedgerCode } from '../domain/ledgers.js';

export interface StakeRow {
  id: string;
  account_id: string;
  ledger: LedgerCode;
  amount: string;
  stake_transfer_id: string;
  unlocks_at: Date;
  created_at: Date;
  release_transfer_id: string | null;
}

const STAKE_COLUMNS =
  'select s.*, r.transfer_id as release_transfer_id from stakes s left join stake_releases r on r.stake_id = s.id';

/** Records a stake whose transfer was just written; `unlocks_at` is the transaction's clock plus the lock. */
export async function insertStake(
  sql: Database,
  stake: {
    id: string;
    accountId: string;
    ledger: LedgerCode;
    amount: bigint;
    transferId: string;
    lockSeconds: number;
  },
): Promise<StakeRow> {
  const [row] = await sql<StakeRow[]>`
    insert into stakes (id, account_id, ledger, amount, stake_transfer_id, unlocks_at)
    values (${stake.id}, ${stake.accountId}, ${stake.ledger}, ${stake.amount.toString()}, ${stake.transferId},
            now() + make_interval(secs => ${stake.lockSeconds}))
    returning *, null::uuid as release_transfer_id`;
  return row as StakeRow;
}

/** A stake with its release, if any, and the database clock; `lock` holds it until the transaction ends. */
export async function findStake(
  sql: Database,
  id: string,
  { lock = false } = {},
): Promise<(StakeRow & { now: Date }) | undefined> {
  const [row] = await sql<(StakeRow & { now: Date })[]>`
    select s.*, r.transfer_id as release_transfer_id, now() as now
      from stakes s left join stake_releases r on r.stake_id = s.id
     where s.id = ${id} ${lock ? sql`for update of s` : sql``}`;
  return row;
}

export async function recordRelease(
  sql: Database,
  stakeId: string,
  transferId: string,
): Promise<void> {
  await sql`insert into stake_releases (stake_id, transfer_id) values (${stakeId}, ${transferId})`;
}

export async function listStakes(sql: Database, accountId: string): Promise<StakeRow[]> {
  return sql<
    StakeRow[]
  >`${sql.unsafe(STAKE_COLUMNS)} where s.account_id = ${accountId} order by s.created_at desc, s.id limit 500`;
}

/** Minor units of `ledger` an account has staked and not unstaked. */
export async function stakedBalance(
  sql: Database,
  accountId: string,
  ledger: LedgerCode,
): Promise<bigint> {
  const [row] = await sql<{ staked: string }[]>`
    select coalesce(sum(s.amount), 0)::text as staked
      from stakes s left join stake_releases r on r.stake_id = s.id
     where s.account_id = ${accountId} and s.ledger = ${ledger} and r.stake_id is null`;
  return BigInt(row?.staked ?? '0');
}
