import { chmod, cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Teardown } from '../../bench/ledger/teardown.js';
import { type PostgresServer, startPostgres } from '../local-servers/index.js';
import type { BaseBackup } from './base-backup.js';
import { nowUs } from './clock.js';
import { recoverySettings, type WalArchive } from './wal-archive.js';
import { formatMicros } from './wal-position.js';

/** What a restore starts from: nothing of the source but its backup and its archive. */
export interface RestoreInputs {
  readonly archive: WalArchive;
  readonly backup: BaseBackup;
  readonly password: string;
}

/** A restore that reached its target and was promoted. */
export interface Restored {
  readonly ok: true;
  readonly server: PostgresServer;
  /** The restored ledger database. */
  readonly ledgerUrl: string;
  readonly startedUs: bigint;
  /** When the promoted server first answered a query. */
  readonly acceptingUs: bigint;
}

/** A restore that PostgreSQL refused or abandoned, with its reason in its own words. */
export interface RestoreFailed {
  readonly ok: false;
  readonly reason: string;
  readonly startedUs: bigint;
}

/**
 * Restores into a fresh `dataDir`: a copy of the base backup, `recovery.signal`, WAL from the
 * archive up to `targetUs` (inclusive), then promotion. Resolves once the promoted server answers
 * a query, or with PostgreSQL's reason when recovery fails (for example a target before the
 * backup became consistent, or a segment missing from the archive).
 */
export async function restoreToTarget(
  inputs: RestoreInputs,
  targetUs: bigint,
  dataDir: string,
  teardown: Teardown,
): Promise<Restored | RestoreFailed> {
  const startedUs = nowUs();
  await cp(inputs.backup.dir, dataDir, { recursive: true });
  await chmod(dataDir, 0o700);
  await writeFile(join(dataDir, 'recovery.signal'), '');
  let server: PostgresServer;
  try {
    server = await startPostgres({
      dataDir,
      persistent: true,
      password: inputs.password,
      settings: recoverySettings(inputs.archive, formatMicros(targetUs)),
    });
  } catch (error) {
    return { ok: false, reason: reasonOf((error as Error).message), startedUs };
  }
  const acceptingUs = nowUs();
  teardown.add(`stop the restored PostgreSQL in ${dataDir}`, () => server.stop());
  const ledgerUrl = new URL(server.adminUrl);
  ledgerUrl.pathname = '/ledger';
  return { ok: true, server, ledgerUrl: ledgerUrl.toString(), startedUs, acceptingUs };
}

/** The server's FATAL/PANIC lines (its own explanation) when there are any, else the message. */
function reasonOf(message: string): string {
  const fatal = message
    .split('\n')
    .filter((line) => /\b(FATAL|PANIC):/.test(line))
    .map((line) => line.replace(/^.*?\b(FATAL|PANIC):\s*/, ''));
  return fatal.length > 0 ? fatal.join('; ') : (message.split('\n')[0] ?? message);
}
