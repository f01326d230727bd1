import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { createDatabase, type Database } from '../platform/db.js';
import { loadMigrations, migrate, migrationsDirOf } from '../platform/migrations.js';
import { openUserAccounts } from './testing/ledger-database.js';

// Migration 004 run over a database that 003 left holding governance data of the earlier form.
const database = useTestDatabase('governance_migration_004');
let sql: Database;
const ids = {
  open: randomUUID(),
  passed: randomUUID(),
  passedText: randomUUID(),
  executed: randomUUID(),
  rejected: randomUUID(),
};
let voter: string;

async function proposal(id: string, state: Record<string, unknown>): Promise<void> {
  const [proposer] = await openUserAccounts(sql, 1, 'proposer', 'AIA_GOV');
  await sql`
    insert into governance_proposals (id, proposal_field, proposer_account_id, proposed_by, title,
                                      body, kind, quorum, modes, snapshot_root, snapshot_size,
                                      closes_at)
    values (${id}, ${String(BigInt(`0x${id.replaceAll('-', '')}`))}, ${proposer as string},
            'user:ada', 'A proposal', '', 'text', 1, '{private,signed}', '7', 1,
            now() + interval '1 hour')`;
  if (Object.keys(state).length > 0) {
    await sql`update governance_proposals set ${sql(state)} where id = ${id}`;
  }
}

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'migration-004', max: 2 });
  const all = await loadMigrations(migrationsDirOf('economic-governor'));
  await migrate(sql, {
    service: 'economic-governor',
    migrations: all.filter((m) => m.version <= 3),
  });
  [voter] = (await openUserAccounts(sql, 1, 'ada', 'AIA_GOV')) as [string];
  await sql`insert into governance_voters (account_id, commitment, weight, registered_by)
            values (${voter}, '123456789', 18446744073709551615, 'user:ada')`;
  const tallied = {
    outcome: 'passed',
    votes_for: 5,
    votes_against: 0,
    votes_abstain: 0,
    tallied_at: new Date(),
  };
  await proposal(ids.open, {});
  await proposal(ids.passed, { ...tallied, executes_at: new Date(Date.now() + 60_000) });
  await proposal(ids.executed, { ...tallied, executes_at: new Date(), executed_at: new Date() });
  await proposal(ids.passedText, tallied);
  await proposal(ids.rejected, { ...tallied, outcome: 'rejected' });
  await sql`insert into governance_snapshot_leaves (proposal_id, position, commitment)
            values (${ids.open}, 0, '123456789')`;
  await migrate(sql, { service: 'economic-governor', migrations: all });
});

afterAll(() => sql?.end());

describe('migration 004 over governance data of the earlier form', () => {
  it('retires every Poseidon(secret, weight) registration, keeping it, and drops the weight', async () => {
    expect(await sql`select * from governance_voters`).toEqual([]);
    const [retired] = await sql`select account_id, commitment, weight::text, reason
                                  from governance_voters_retired`;
    expect(retired).toMatchObject({
      account_id: voter,
      commitment: '123456789',
      weight: '18446744073709551615',
      reason: expect.stringMatching(/migration 004/),
    });
    const columns = await sql`select column_name from information_schema.columns
                               where table_name = 'governance_voters'`;
    expect(columns.map((c) => c.column_name)).not.toContain('weight');
  });

  it('keeps the retired registrations append-only', async () => {
    await expect(sql`delete from governance_voters_retired`).rejects.toThrow();
  });

  it('voids the undecided proposals and the passed transfers in their timelock, and leaves decisions alone', async () => {
    const rows = await sql<
      { id: string; voided_reason: string | null; execution_refusal: string | null }[]
    >`
      select id, voided_reason, execution_refusal from governance_proposals`;
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(byId[ids.open]?.voided_reason).toMatch(/before leaves were bound to stake/);
    expect(byId[ids.open]?.execution_refusal).toBeNull();
    expect(byId[ids.passed]?.voided_reason).toMatch(/before leaves were bound to stake/);
    expect(byId[ids.passed]?.execution_refusal).toBe(byId[ids.passed]?.voided_reason);
    expect(byId[ids.executed]).toMatchObject({ voided_reason: null, execution_refusal: null });
    // A passed text proposal never executes (no executes_at): a decision, kept as it is.
    expect(byId[ids.passedText]).toMatchObject({ voided_reason: null, execution_refusal: null });
    expect(byId[ids.rejected]).toMatchObject({ voided_reason: null, execution_refusal: null });
  });

  it('keeps the old leaves under the new column name, without a weight', async () => {
    expect(await sql`select leaf, weight from governance_snapshot_leaves`).toEqual([
      { leaf: '123456789', weight: null },
    ]);
  });
});
