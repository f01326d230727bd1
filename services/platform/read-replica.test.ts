import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamingReplica } from '../../tools/drill/streaming-replica.js';
import { type PostgresServer, startPostgres } from '../../tools/local-servers/index.js';
import { createDatabase, type Database } from './db.js';
import { createReadPool, type ReadPool } from './read-replica.js';

const PASSWORD = 'read-replica-test';
/** Small, so a paused replica passes it within a second or two. */
const MAX_LAG_SECONDS = 1;

let dir: string;
let primary: PostgresServer;
let replica: PostgresServer;
let primarySql: Database;
let replicaSql: Database;
/** The pool under test reaches the replica as an ordinary role, as the services' IAM users do. */
let readerSql: Database;

const portOf = async (sql: Database) => (await sql`select inet_server_port() as port`)[0]?.port;

/** Polls `condition` until it holds; a condition that never holds fails the test by its timeout. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** The replica has replayed the insert of `marker` (the table itself may not have arrived yet). */
const replayed = (marker: string) => () => replayedOn(replicaSql, marker).catch(() => false);

async function fallbacks(registry: Registry, reason: string): Promise<number> {
  const metric = await registry.getSingleMetric('db_read_replica_fallbacks_total')?.get();
  return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-replica-test-'));
  // When the tests run as root, PostgreSQL runs as the postgres OS user and must get through.
  await chmod(dir, 0o711);
  primary = await startPostgres({ dataDir: join(dir, 'primary'), password: PASSWORD });
  replica = await startStreamingReplica(primary, PASSWORD, join(dir, 'replica'));
  primarySql = createDatabase({ url: primary.adminUrl, max: 2, applicationName: 'test' });
  replicaSql = createDatabase({ url: replica.adminUrl, max: 2, applicationName: 'test-reads' });
  await primarySql`create role reader login password 'reader-password'`;
  await primarySql`create table marks (marker text primary key)`;
  await primarySql`grant select on marks to reader`;
  await primarySql`insert into marks values ('start')`;
  await until(replayed('start'));
  const readerUrl = new URL(replica.adminUrl);
  readerUrl.username = 'reader';
  readerUrl.password = 'reader-password';
  readerSql = createDatabase({ url: readerUrl.toString(), max: 2, applicationName: 'test-reads' });
}, 60_000);

afterAll(async () => {
  await readerSql?.end({ timeout: 1 });
  await replicaSql?.end({ timeout: 1 });
  await primarySql?.end({ timeout: 1 });
  await replica?.stop();
  await primary?.stop();
  await rm(dir, { recursive: true, force: true });
}, 30_000);

describe('the read pool over a real streaming replica', () => {
  let registry: Registry;
  let reads: ReadPool;

  beforeAll(() => {
    registry = new Registry();
    reads = createReadPool({
      primary: primarySql,
      replica: readerSql,
      maxLagSeconds: MAX_LAG_SECONDS,
      // Checked only when a test asks: the reads between follow the last check.
      checkIntervalMs: 3_600_000,
      registry,
    });
  });

  it('reads from the replica while it streams and keeps up, and reports no lag', async () => {
    // What the lag check relies on: an ordinary role sees the WAL receiver's pid, not its status.
    expect(
      await readerSql`select pid is not null as running, status from pg_stat_wal_receiver`,
    ).toEqual([{ running: true, status: null }]);
    expect(await reads.check()).toBe('replica');
    expect(await reads.read(portOf)).toBe(replica.port);
    const lag = await registry.getSingleMetric('db_read_replica_lag_seconds')?.get();
    expect(lag?.values[0]?.value).toBe(0);
    expect(await fallbacks(registry, 'lag')).toBe(0);
  });

  it('reads from the primary while replay is paused beyond the lag bound, and from the replica again once it caught up', async () => {
    await replicaSql`select pg_wal_replay_pause()`;
    await primarySql`insert into marks values ('while-paused')`;
    // The replica has received WAL it does not replay, and its last replayed commit is older
    // than the bound.
    await until(async () => {
      const [row] = await replicaSql`select
        pg_last_wal_receive_lsn() <> pg_last_wal_replay_lsn() as behind,
        extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as seconds`;
      return row?.behind === true && Number(row.seconds) > MAX_LAG_SECONDS;
    });
    expect(await reads.check()).toBe('primary');
    expect(await reads.read(portOf)).toBe(primary.port);
    expect(await reads.read((sql) => replayedOn(sql, 'while-paused'))).toBe(true);
    expect(await fallbacks(registry, 'lag')).toBe(2);
    const lag = await registry.getSingleMetric('db_read_replica_lag_seconds')?.get();
    expect(lag?.values[0]?.value).toBeGreaterThan(MAX_LAG_SECONDS);

    await replicaSql`select pg_wal_replay_resume()`;
    await until(replayed('while-paused'));
    expect(await reads.check()).toBe('replica');
    expect(await reads.read(portOf)).toBe(replica.port);
  });

  it('reads from the primary once the bound passes while the replica receives no WAL, although it replayed all it received', async () => {
    expect(await reads.check()).toBe('replica');
    const [saved] = await replicaSql`show primary_conninfo`;
    const conninfo = String(saved?.primary_conninfo);
    // Replication broken: without a primary to stream from, the replica's WAL receiver stops.
    await replicaSql`alter system set primary_conninfo = ''`;
    await replicaSql`select pg_reload_conf()`;
    await until(async () => (await replicaSql`select from pg_stat_wal_receiver`).length === 0);
    await primarySql`insert into marks values ('while-cut-off')`;
    // Replay has caught up with all the replica received, and its last replayed commit is older
    // than the bound: the replica is stale though its LSNs agree.
    await until(async () => {
      const [row] = await replicaSql`select
        pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() as caught_up,
        extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as seconds`;
      return row?.caught_up === true && Number(row.seconds) > MAX_LAG_SECONDS;
    });
    expect(await reads.check()).toBe('primary');
    expect(await reads.read((sql) => replayedOn(sql, 'while-cut-off'))).toBe(true);
    expect(await replayedOn(replicaSql, 'while-cut-off')).toBe(false);
    const lag = await registry.getSingleMetric('db_read_replica_lag_seconds')?.get();
    expect(lag?.values[0]?.value).toBeGreaterThan(MAX_LAG_SECONDS);

    await replicaSql.unsafe(
      `alter system set primary_conninfo = '${conninfo.replaceAll("'", "''")}'`,
    );
    await replicaSql`select pg_reload_conf()`;
    await until(replayed('while-cut-off'));
    expect(await reads.check()).toBe('replica');
    expect(await reads.read(portOf)).toBe(replica.port);
  });

  it('reads from the primary when the replica stops, even before the next check', async () => {
    expect(await reads.check()).toBe('replica');
    await replica.stop();
    // The last check found the replica well: the read tries it, loses the connection and is
    // served by the primary.
    expect(await reads.read(portOf)).toBe(primary.port);
    expect(await fallbacks(registry, 'unreachable')).toBe(1);
    expect(await reads.check()).toBe('primary');
    expect(await reads.read(portOf)).toBe(primary.port);
    expect(await fallbacks(registry, 'unreachable')).toBe(2);
  });
});

describe('the read pool without a usable replica', () => {
  it('reads from the primary when no replica is configured', async () => {
    const reads = createReadPool({ primary: primarySql });
    expect(await reads.check()).toBe('primary');
    expect(await reads.read(portOf)).toBe(primary.port);
  });

  it('refuses a "replica" that is no standby, since it does not follow the primary', async () => {
    const other = createDatabase({
      url: primary.adminUrl,
      max: 1,
      applicationName: 'not-a-standby',
    });
    try {
      const reads = createReadPool({ primary: primarySql, replica: other });
      expect(await reads.check()).toBe('primary');
    } finally {
      await other.end({ timeout: 1 });
    }
  });
});

async function replayedOn(sql: Database, marker: string): Promise<boolean> {
  return (await sql`select count(*)::int as n from marks where marker = ${marker}`)[0]?.n === 1;
}
