import { Counter, Gauge, type Registry } from 'prom-client';
import { isPostgresUnavailable } from './database-errors.js';
import type { Database } from './db.js';

/** Where a lag-tolerant read was served from. */
export type ReadSource = 'replica' | 'primary';

/** Why a read went to the primary although a replica is configured. */
export type FallbackReason = 'lag' | 'unreachable' | 'conflict';

export interface ReadPoolOptions {
  readonly primary: Database;
  /** The read replica's pool (`CLOUD_SQL_READ_INSTANCE` or `DATABASE_READ_URL`); none: reads use the primary. */
  readonly replica?: Database;
  /**
   * Instead of `replica`: the replica's pool once it is connected, `undefined` while it is not yet
   * (the Cloud SQL connector still retrying, `read-database.ts`); until then reads use the primary.
   */
  readonly replicaOnceConnected?: () => Database | undefined;
  /** Reads go to the primary while the replica is further behind than this. Default 30 s. */
  readonly maxLagSeconds?: number;
  /** The replica's lag is checked at most this often, in the background. Default 5,000 ms. */
  readonly checkIntervalMs?: number;
  /**
   * Registers `db_read_replica_lag_seconds`, `db_read_replica_fallbacks_total` and
   * `db_read_replica_connected` when given with a replica.
   */
  readonly registry?: Registry;
}

/** Reads that tolerate a bounded lag: on the replica while it keeps up, else on the primary. */
export interface ReadPool {
  /**
   * Runs `work` on the replica when its last check found it within the lag bound, else on the
   * primary. A read the replica fails to answer (connection lost, recovery conflict) runs again
   * on the primary, so `work` must only read.
   */
  read<T>(work: (sql: Database) => Promise<T>): Promise<T>;
  /** Checks the replica's lag now (reads check it themselves, at most every interval). */
  check(): Promise<ReadSource>;
}

/**
 * How far behind the replica is: 0 while a WAL receiver streams from the primary and the replica
 * has replayed all it received (an idle primary sends no WAL, so `now() -
 * pg_last_xact_replay_timestamp()` would grow without any lag), else the age of the last
 * transaction it replayed. Without a streaming receiver (replication broken, the primary
 * unreachable from the replica) the received WAL stops growing and replay soon catches up with
 * it: counting that as no lag would serve an ever staler replica, so the replay age counts, and
 * the bound sends reads to the primary once it passes. `pg_stat_wal_receiver` has a row only
 * while a receiver runs; roles without `pg_read_all_stats` (the services' IAM users) see its
 * `pid` and a null `status`, so a row counts as streaming unless its status says otherwise. A
 * server that is no standby (a promoted replica, a URL that names a primary) counts as infinitely
 * behind: it no longer follows this primary.
 */
const LAG_QUERY = `select pg_is_in_recovery() as standby,
  exists (select from pg_stat_wal_receiver
    where coalesce(status, 'streaming') = 'streaming') as streaming,
  pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() as caught_up,
  extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as behind_seconds`;

interface LagRow {
  readonly standby: boolean;
  readonly streaming: boolean;
  readonly caught_up: boolean;
  readonly behind_seconds: number | null;
}

/** SQLSTATE 40001 on a hot standby: the query was cancelled by a conflict with WAL replay. */
const RECOVERY_CONFLICT = '40001';

const codeOf = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '');

/**
 * A read pool over the primary and an optional read replica. Until the first check succeeds, and
 * whenever the replica lags beyond `maxLagSeconds`, is unreachable or is no standby, reads use
 * the primary. Checks run in the background: a read never waits for one.
 *
 * @example
 * const reads = createReadPool({ primary: sql, replica: replicaSql, registry });
 * const history = await reads.read((sql) => listAccountTransfers(sql, id, cursor, limit));
 */
export function createReadPool({
  primary,
  replica,
  replicaOnceConnected,
  maxLagSeconds = 30,
  checkIntervalMs = 5_000,
  registry,
}: ReadPoolOptions): ReadPool {
  const replicaPool = replicaOnceConnected ?? (replica ? () => replica : undefined);
  const lag =
    registry && replicaPool
      ? new Gauge({
          name: 'db_read_replica_lag_seconds',
          help: 'Replication lag of the read replica at its last check (0 while it streams and has replayed all it received)',
          registers: [registry],
        })
      : undefined;
  if (registry && replicaPool)
    new Gauge({
      name: 'db_read_replica_connected',
      help: 'Whether the service holds a pool to its read replica (0 while the connector retries)',
      registers: [registry],
      collect() {
        this.set(replicaPool() ? 1 : 0);
      },
    });
  const fallbacks =
    registry && replicaPool
      ? new Counter({
          name: 'db_read_replica_fallbacks_total',
          help: 'Lag-tolerant reads served by the primary although a read replica is configured, by reason',
          labelNames: ['reason'],
          registers: [registry],
        })
      : undefined;
  for (const reason of ['lag', 'unreachable', 'conflict'] as const) fallbacks?.inc({ reason }, 0);

  let fallback: FallbackReason | undefined = 'unreachable';
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<ReadSource> | undefined;

  const measure = async (pool: Database | undefined): Promise<ReadSource> => {
    try {
      if (!pool) throw new Error('the read replica is not connected yet');
      const [row] = await pool.unsafe<LagRow[]>(LAG_QUERY);
      const behind = !row?.standby
        ? Number.POSITIVE_INFINITY
        : row.streaming && row.caught_up
          ? 0
          : (row.behind_seconds ?? Number.POSITIVE_INFINITY);
      lag?.set(behind);
      fallback = behind <= maxLagSeconds ? undefined : 'lag';
    } catch {
      fallback = 'unreachable';
    }
    checkedAt = Date.now();
    return fallback ? 'primary' : 'replica';
  };

  const check = (): Promise<ReadSource> => {
    if (!replicaPool) return Promise.resolve('primary');
    checking ??= measure(replicaPool()).finally(() => {
      checking = undefined;
    });
    return checking;
  };

  const onPrimary = <T>(reason: FallbackReason, work: (sql: Database) => Promise<T>) => {
    fallbacks?.inc({ reason });
    return work(primary);
  };

  return {
    read: async (work) => {
      if (!replicaPool) return work(primary);
      if (Date.now() - checkedAt >= checkIntervalMs) void check();
      const replica = replicaPool();
      if (fallback || !replica) return onPrimary(fallback ?? 'unreachable', work);
      try {
        return await work(replica);
      } catch (error) {
        if (codeOf(error) === RECOVERY_CONFLICT) return onPrimary('conflict', work);
        if (!isPostgresUnavailable(error)) throw error;
        // Until the next check finds it back.
        fallback = 'unreachable';
        return onPrimary('unreachable', work);
      }
    },
    check,
  };
}
