import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PostgresServer } from '../local-servers/index.js';
import { nowUs } from './clock.js';
import { runPgTool } from './pg-tools.js';
import type { WalArchive } from './wal-archive.js';
import { parseLsn } from './wal-position.js';

/** A verified base backup in plain format, and the WAL range it needs from the archive. */
export interface BaseBackup {
  readonly dir: string;
  /** Where replay starts (the backup's checkpoint). */
  readonly startLsn: bigint;
  /** Where the restored copy becomes consistent: no recovery target may lie before it. */
  readonly endLsn: bigint;
  readonly startedUs: bigint;
  readonly finishedUs: bigint;
}

/**
 * `pg_basebackup` of the running `server` into `dir` without its WAL (`-X none`): as with Cloud
 * SQL, the backup is restorable only together with the WAL archive, which is what the drill
 * proves. The server answers only once the backup's last segment is archived. `pg_verifybackup`
 * then checks every file against the backup manifest's checksums and parses the WAL range the
 * backup needs from the archive.
 * @throws Error with the tool's output when the backup or its verification fails.
 */
export async function takeBaseBackup(
  server: PostgresServer,
  password: string,
  archive: WalArchive,
  dir: string,
): Promise<BaseBackup> {
  const startedUs = nowUs();
  await runPgTool(
    'pg_basebackup',
    [
      `--dbname=host=${server.host} port=${server.port} user=postgres`,
      `--pgdata=${dir}`,
      '--wal-method=none',
      '--checkpoint=fast',
      '--manifest-checksums=SHA256',
    ],
    { PGPASSWORD: password },
  );
  const finishedUs = nowUs();
  await runPgTool('pg_verifybackup', [`--wal-directory=${archive.dir}`, dir]);
  const manifest = JSON.parse(await readFile(join(dir, 'backup_manifest'), 'utf8')) as {
    'WAL-Ranges'?: { 'Start-LSN': string; 'End-LSN': string }[];
  };
  const [range] = manifest['WAL-Ranges'] ?? [];
  if (!range) throw new Error(`the backup manifest in ${dir} has no WAL-Ranges`);
  return {
    dir,
    startLsn: parseLsn(range['Start-LSN']),
    endLsn: parseLsn(range['End-LSN']),
    startedUs,
    finishedUs,
  };
}
