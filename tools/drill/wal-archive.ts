import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runPgTool } from './pg-tools.js';
import { formatLsn, parseLsn, utcMicros } from './wal-position.js';

/** Where completed WAL segments are copied to and read back from: the drill's "bucket". */
export interface WalArchive {
  readonly dir: string;
}

/**
 * Source settings: WAL fit for archive recovery, each completed segment copied into the
 * archive (never over an existing file, as PostgreSQL's documentation asks), a segment switch at
 * least every `archiveTimeoutSeconds` so a quiet server's last commits still reach the archive,
 * and commit timestamps kept so the drill can tell which transfers committed before the target.
 */
export function archivingSettings(
  archive: WalArchive,
  archiveTimeoutSeconds: number,
): Record<string, string> {
  return {
    wal_level: 'replica',
    archive_mode: 'on',
    archive_command: `test ! -f '${archive.dir}/%f' && cp %p '${archive.dir}/%f'`,
    archive_timeout: `${archiveTimeoutSeconds}s`,
    track_commit_timestamp: 'on',
  };
}

/**
 * Settings of the restored server (with `recovery.signal` in its data directory): WAL from the
 * archive, replay up to and including the commits stamped at `targetTime`, then promotion to a
 * writable primary. hot_standby is off so that the server accepts no connection before recovery
 * has ended: "accepts queries" then means "restored and promoted".
 */
export function recoverySettings(archive: WalArchive, targetTime: string): Record<string, string> {
  return {
    restore_command: `cp '${archive.dir}/%f' %p`,
    recovery_target_time: targetTime,
    recovery_target_inclusive: 'on',
    recovery_target_action: 'promote',
    hot_standby: 'off',
    track_commit_timestamp: 'on',
  };
}

/** Names of the WAL segment files in the archive, oldest first (backup history files excluded). */
export async function archivedSegments(archive: WalArchive): Promise<string[]> {
  const names = await readdir(archive.dir);
  return names.filter((name) => /^[0-9A-F]{24}$/.test(name)).sort();
}

/**
 * A commit or abort record of the WAL: which transaction, where, and the time it carries.
 * Recovery to a time stops at either kind, so both are kept; only commits carry transfers.
 */
export interface WalCommit {
  readonly kind: 'commit' | 'abort';
  readonly xid: number;
  /** The transaction and its committed subtransactions: the xmin its rows may carry. */
  readonly xids: readonly number[];
  readonly lsn: bigint;
  readonly committedUs: bigint;
}

const COMMIT_LINE =
  /tx:\s+(\d+), lsn: ([0-9A-F]+\/[0-9A-F]+),.*desc: (COMMIT|ABORT) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) UTC/;

/**
 * The commit and abort records in the archive from `start` up to (not including) `end`, in WAL order, read
 * with pg_waldump: the order in which recovery meets them, which is not always the order of
 * their timestamps (a commit takes its time before it inserts its record).
 */
export async function commitsBetween(
  archive: WalArchive,
  start: bigint,
  end: bigint,
): Promise<WalCommit[]> {
  const { stdout } = await runPgTool('pg_waldump', [
    '--path',
    archive.dir,
    '--start',
    formatLsn(start),
    '--end',
    formatLsn(end),
    '--rmgr',
    'Transaction',
  ]);
  const commits: WalCommit[] = [];
  for (const line of stdout.split('\n')) {
    const match = COMMIT_LINE.exec(line);
    if (!match) continue;
    const subxacts = /; subxacts:((?: \d+)+)/.exec(line)?.[1]?.trim().split(' ').map(Number) ?? [];
    commits.push({
      kind: match[3] === 'ABORT' ? 'abort' : 'commit',
      xid: Number(match[1]),
      xids: [Number(match[1]), ...subxacts],
      lsn: parseLsn(match[2] as string),
      committedUs: utcMicros(match[4] as string),
    });
  }
  return commits;
}

/** The path of a segment file in the archive. */
export const segmentPath = (archive: WalArchive, name: string): string => join(archive.dir, name);
