import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { prepareLedgerFixture } from '../../bench/ledger/ledger-fixture.js';
import { startLedgerService } from '../../bench/ledger/ledger-service.js';
import type { Teardown } from '../../bench/ledger/teardown.js';
import { startPostgres } from '../local-servers/index.js';
import { giveTo, postgresUserWhenRoot } from '../local-servers/run-as.js';
import { generateJwtKeyPair } from '../local-stack/jwt-key-pair.js';
import { type BaseBackup, takeBaseBackup } from './base-backup.js';
import { nowUs } from './clock.js';
import { type LoadOutcome, startLedgerLoad } from './ledger-load.js';
import { type TransferRow, transferRows } from './ledger-rows.js';
import {
  archivedSegments,
  archivingSettings,
  commitsBetween,
  type WalArchive,
  type WalCommit,
} from './wal-archive.js';
import { parseLsn, segmentBounds } from './wal-position.js';

/** How much load the drill drives, and when it takes the backup and picks the target. */
export interface DrillLoadOptions {
  /** Concurrent clients of POST /v1/transfers. */
  readonly clients: number;
  /** User accounts the transfers move between. */
  readonly accounts: number;
  /** Load before the base backup starts. */
  readonly beforeBackupMs: number;
  /** Load between the end of the (verified) base backup and the target time. */
  readonly beforeTargetMs: number;
  /** Load after the target time, all of which the restore must leave out. */
  readonly afterTargetMs: number;
  /** The source's archive_timeout. */
  readonly archiveTimeoutSeconds: number;
}

/** What the source left behind for restores, and what the restored copy must contain. */
export interface SourceRun {
  readonly archive: WalArchive;
  readonly backup: BaseBackup;
  /** The superuser password, which the backup carries over to the restored server. */
  readonly password: string;
  readonly serverVersion: string;
  /** The target time (microseconds) and the WAL insert position read just before it. */
  readonly target: { readonly us: bigint; readonly lsn: bigint };
  /** End of the archived WAL (the last segment switch). */
  readonly endLsn: bigint;
  readonly load: LoadOutcome;
  readonly loadStartedUs: bigint;
  readonly loadStoppedUs: bigint;
  /** Every transfer on the source once the load stopped. */
  readonly transfers: readonly TransferRow[];
  /** Commit records from `target.lsn` to `endLsn`, in WAL order. */
  readonly commitsAfterTargetLsn: readonly WalCommit[];
  /**
   * At the moment the load stopped: the newest commit already in the archive. A primary lost at
   * that moment could be recovered up to this commit and no further.
   */
  readonly lastArchivedCommitUs: bigint | undefined;
  readonly archivedSegmentsAtStop: number;
  /** wal_segment_size in bytes. */
  readonly segmentBytes: bigint;
}

const ARCHIVE_WAIT_MS = 30_000;
/** Each account's funding and each transfer's amount: no account can run dry. */
const FUNDING = '1000';
const AMOUNT = '0.001';
const POOL_MAX = 20;

/**
 * The source side of the drill: a durable PostgreSQL with WAL archiving, the economic governor
 * on it (its migrations and genesis), funded accounts, then transfers through the governor's API
 * while a base backup is taken and verified, a target time is picked, and more transfers follow.
 * Everything started is registered on `teardown`; the source is stopped before returning, as if
 * lost, so that a restore competes with nothing.
 */
export async function runSource(
  workDir: string,
  options: DrillLoadOptions,
  teardown: Teardown,
  progress: (message: string) => void,
): Promise<SourceRun> {
  const archive: WalArchive = { dir: join(workDir, 'archive') };
  await mkdir(archive.dir);
  const user = await postgresUserWhenRoot();
  if (user) await giveTo(archive.dir, user);

  progress('starting the source PostgreSQL (durable, WAL archiving on)');
  const server = await startPostgres({
    dataDir: join(workDir, 'source'),
    persistent: true,
    settings: archivingSettings(archive, options.archiveTimeoutSeconds),
  });
  teardown.add('stop the source PostgreSQL', () => server.stop());
  const password = decodeURIComponent(new URL(server.adminUrl).password);
  const admin = postgres(server.adminUrl, { max: 2, onnotice: () => {} });
  teardown.add('close the source connections', () => admin.end({ timeout: 5 }));
  await admin.unsafe('create database ledger');
  const ledgerUrl = new URL(server.adminUrl);
  ledgerUrl.pathname = '/ledger';
  const ledger = postgres(ledgerUrl.toString(), { max: 2, onnotice: () => {} });
  teardown.add('close the source ledger connections', () => ledger.end({ timeout: 5 }));
  const [{ version = '' } = {}] = await admin<{ version: string }[]>`
    select current_setting('server_version') as version`;

  progress('starting the economic governor (migrations, genesis)');
  const keys = await generateJwtKeyPair();
  const service = await startLedgerService({
    root: resolve(import.meta.dirname, '../..'),
    databaseUrl: ledgerUrl.toString(),
    jwtPublicKeys: keys.JWT_PUBLIC_KEYS,
    poolMax: POOL_MAX,
    signal: teardown.signal,
  });
  teardown.add('stop the economic governor', () => service.stop());
  const fixture = await prepareLedgerFixture({
    origin: service.origin,
    jwtSigningKey: keys.JWT_SIGNING_KEY,
    accounts: options.accounts,
    funding: FUNDING,
    concurrency: Math.min(options.accounts, 50),
    onProgress: progress,
  });

  progress(`load: ${options.clients} clients of POST /v1/transfers`);
  const loadStartedUs = nowUs();
  const load = startLedgerLoad({
    origin: service.origin,
    token: fixture.loadToken,
    accountIds: fixture.accountIds,
    clients: options.clients,
    amount: AMOUNT,
  });
  let outcome: LoadOutcome | undefined;
  teardown.add('stop the load', async () => {
    outcome ??= await load.stop();
  });
  await sleep(options.beforeBackupMs);

  progress(`base backup under load (${load.acknowledgedSoFar()} transfers acknowledged so far)`);
  const backup = await takeBaseBackup(server, password, archive, join(workDir, 'backup'));
  progress('base backup taken and verified by pg_verifybackup');
  await sleep(options.beforeTargetMs);

  // The position first, then the time: every commit record before the position was stamped
  // before the time, so recovery to the time stops somewhere after the position.
  const [position] = await admin<
    { lsn: string }[]
  >`select pg_current_wal_insert_lsn()::text as lsn`;
  const [time] = await admin<{ us: string }[]>`
    select (extract(epoch from clock_timestamp()) * 1000000)::bigint::text as us`;
  const target = { us: BigInt(time?.us ?? '0'), lsn: parseLsn(position?.lsn ?? '') };
  progress(`target time picked (${load.acknowledgedSoFar()} transfers acknowledged so far)`);
  await sleep(options.afterTargetMs);

  outcome = await load.stop();
  const loadStoppedUs = nowUs();
  const [archiver] = await admin<{ last: string | null }[]>`
    select last_archived_wal as last from pg_stat_archiver`;
  const segmentsAtStop = (await archivedSegments(archive)).length;
  progress(`load stopped: ${outcome.acknowledged.length} transfers acknowledged`);

  const endLsn = await switchAndWaitForArchive(admin);
  const transfers = await transferRows(ledger);
  const commitsAfterTargetLsn = await commitsBetween(archive, target.lsn, endLsn);
  const segmentBytes = await segmentSize(admin);
  const lastArchivedCommitUs = archiver?.last
    ? await lastCommitIn(archive, archiver.last, segmentBytes)
    : undefined;

  await service.stop();
  await ledger.end({ timeout: 5 });
  await admin.end({ timeout: 5 });
  await server.stop();
  progress('source stopped (as if lost); the restore has the base backup and the archive only');
  return {
    archive,
    backup,
    password,
    serverVersion: version,
    target,
    endLsn,
    load: outcome,
    loadStartedUs,
    loadStoppedUs,
    transfers,
    commitsAfterTargetLsn,
    lastArchivedCommitUs,
    archivedSegmentsAtStop: segmentsAtStop,
    segmentBytes,
  };
}

/**
 * Closes the current segment and waits until the archiver has copied it: afterwards the archive
 * holds every commit of the run. Returns the end of the closed segment.
 * @throws Error when the archiver reports a failure or does not catch up within 30 s.
 */
async function switchAndWaitForArchive(admin: postgres.Sql): Promise<bigint> {
  const [switched] = await admin<{ lsn: string; segment: string }[]>`
    select lsn::text, pg_walfile_name(lsn) as segment from pg_switch_wal() as lsn`;
  if (!switched) throw new Error('pg_switch_wal() returned nothing');
  const deadline = Date.now() + ARCHIVE_WAIT_MS;
  for (;;) {
    const [state] = await admin<{ last: string | null; failed: string; failure: string | null }[]>`
      select last_archived_wal as last, failed_count::text as failed, last_failed_wal as failure
        from pg_stat_archiver`;
    if (state?.last && state.last >= switched.segment) return parseLsn(switched.lsn);
    if (state && state.failed !== '0') {
      throw new Error(`archive_command failed ${state.failed} time(s), last on ${state.failure}`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `segment ${switched.segment} was not archived within ${ARCHIVE_WAIT_MS / 1000} s`,
      );
    }
    await sleep(100);
  }
}

async function segmentSize(admin: postgres.Sql): Promise<bigint> {
  const [row] = await admin<{ bytes: string }[]>`
    select pg_size_bytes(current_setting('wal_segment_size'))::text as bytes`;
  return BigInt(row?.bytes ?? '16777216');
}

/** The time of the last commit record in archived segment `name`, if it holds one. */
async function lastCommitIn(
  archive: WalArchive,
  name: string,
  segmentBytes: bigint,
): Promise<bigint | undefined> {
  const { start, end } = segmentBounds(name, segmentBytes);
  const commits = await commitsBetween(archive, start, end);
  return commits.filter((record) => record.kind === 'commit').at(-1)?.committedUs;
}
