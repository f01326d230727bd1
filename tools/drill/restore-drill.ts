import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { Teardown } from '../../bench/ledger/teardown.js';
import type { Check } from './check.js';
import { checkRestoredLedger } from './checks.js';
import { nowUs } from './clock.js';
import { expectAtTarget } from './expectations.js';
import { restoreToTarget } from './restore.js';
import { type DrillLoadOptions, runSource, type SourceRun } from './source-run.js';

/** Everything the drill measured and concluded. */
export interface RestoreDrillReport {
  readonly passed: boolean;
  readonly serverVersion: string;
  /** PostgreSQL's reason when the restore itself failed (no checks ran then). */
  readonly restoreFailure?: string;
  readonly targetUs: bigint;
  readonly backupSeconds: number;
  readonly loadSeconds: number;
  readonly counts: {
    readonly acknowledged: number;
    readonly refused: number;
    readonly unanswered: number;
    readonly sourceTransfers: number;
    readonly restoredTransfers: number;
    readonly acknowledgedBefore: number;
    readonly acknowledgedAfter: number;
    /** Stamped before the target, after the stopping point in WAL order. */
    readonly reordered: number;
    readonly archivedSegments: number;
  };
  /** Restore start → the promoted server answers a query. */
  readonly acceptingUs?: bigint;
  /** Restore start → every check has passed (or failed). */
  readonly rtoUs?: bigint;
  /** Target time minus the commit time of the last transaction recovered. */
  readonly rpoUs?: bigint;
  /** Load stop minus the newest commit in the archive at that moment. */
  readonly archiveExposureUs?: bigint;
  readonly checks: readonly Check[];
}

/** Where and to when one restore goes. */
export interface RestoreOptions {
  /** Default: the target the source run picked. */
  readonly targetUs?: bigint;
  /** A directory that does not exist yet. */
  readonly dataDir: string;
  readonly teardown: Teardown;
}

/**
 * Restores `source`'s base backup and archive into a fresh server up to the target, checks the
 * restored ledger, stops the server and reports. A restore PostgreSQL refuses is a failed drill
 * with PostgreSQL's reason, not an exception.
 */
export async function restoreAndCheck(
  source: SourceRun,
  options: RestoreOptions,
): Promise<RestoreDrillReport> {
  const targetUs = options.targetUs ?? source.target.us;
  const base = {
    serverVersion: source.serverVersion,
    targetUs,
    backupSeconds: Number(source.backup.finishedUs - source.backup.startedUs) / 1e6,
    loadSeconds: Number(source.loadStoppedUs - source.loadStartedUs) / 1e6,
    ...(source.lastArchivedCommitUs === undefined
      ? {}
      : { archiveExposureUs: source.loadStoppedUs - source.lastArchivedCommitUs }),
  };
  const counts = {
    acknowledged: source.load.acknowledged.length,
    refused: source.load.refused.size,
    unanswered: source.load.unanswered.length,
    sourceTransfers: source.transfers.length,
    archivedSegments: source.archivedSegmentsAtStop,
  };
  const restore = await restoreToTarget(source, targetUs, options.dataDir, options.teardown);
  if (!restore.ok) {
    return {
      ...base,
      passed: false,
      restoreFailure: restore.reason,
      counts: {
        ...counts,
        restoredTransfers: 0,
        acknowledgedBefore: 0,
        acknowledgedAfter: 0,
        reordered: 0,
      },
      checks: [{ name: 'the restore reached its target', passed: false, detail: restore.reason }],
    };
  }
  const sql = postgres(restore.ledgerUrl, { max: 2, onnotice: () => {} });
  try {
    const expectation = expectAtTarget(source.transfers, source.commitsAfterTargetLsn, targetUs);
    const results = await checkRestoredLedger(sql, {
      targetUs,
      expectation,
      sourceTransfers: source.transfers,
      acknowledged: source.load.acknowledged,
    });
    const checkedUs = nowUs();
    return {
      ...base,
      passed: results.checks.every((check) => check.passed),
      counts: {
        ...counts,
        restoredTransfers: results.restoredTransfers,
        acknowledgedBefore: results.acknowledged.before,
        acknowledgedAfter: results.acknowledged.after,
        reordered: results.acknowledged.reordered,
      },
      acceptingUs: restore.acceptingUs - restore.startedUs,
      rtoUs: checkedUs - restore.startedUs,
      ...(results.lastReplayedUs === undefined ? {} : { rpoUs: targetUs - results.lastReplayedUs }),
      checks: results.checks,
    };
  } finally {
    await sql.end({ timeout: 5 });
    await restore.server.stop();
  }
}

/** A temporary directory PostgreSQL can enter when it runs as the `postgres` OS user. */
export async function drillWorkDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'restore-drill-'));
  await chmod(dir, 0o711);
  return dir;
}

/**
 * The whole drill in a temporary directory: the source under load with a base backup and WAL
 * archive, a point-in-time restore into a fresh server, the checks. Cleans up whatever happens,
 * also on Ctrl-C.
 */
export async function runRestoreDrill(
  options: DrillLoadOptions,
  progress: (message: string) => void,
): Promise<RestoreDrillReport> {
  const teardown = new Teardown();
  const removeHandlers = teardown.exitOnSignals();
  const workDir = await drillWorkDir();
  teardown.add('remove the work directory', () => rm(workDir, { recursive: true, force: true }));
  try {
    const source = await runSource(workDir, options, teardown, progress);
    progress('restoring to the target time into a fresh data directory');
    return await restoreAndCheck(source, { dataDir: join(workDir, 'restored'), teardown });
  } finally {
    await teardown.run();
    removeHandlers();
  }
}
