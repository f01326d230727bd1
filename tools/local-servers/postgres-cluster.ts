import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { PostgresBinaries } from './binaries.js';
import { assertReachable, giveTo, type OsUser, wrapCommand } from './run-as.js';

const exec = promisify(execFile);

/** What `prepareCluster` needs; `dataDir` must be absolute. */
export interface ClusterOptions {
  readonly dataDir: string;
  readonly password?: string | undefined;
  readonly persistent: boolean;
  readonly binaries: PostgresBinaries;
  readonly user: OsUser | undefined;
  readonly onProgress?: ((message: string) => void) | undefined;
}

/** The superuser password is kept beside the data directory, readable by this user only. */
export function passwordFileOf(dataDir: string): string {
  return `${dataDir}.password`;
}

/** Saves `password` in `passwordFileOf(dataDir)` with mode 0600 so a restart can reuse it. */
export async function rememberPassword(dataDir: string, password: string): Promise<void> {
  const file = passwordFileOf(dataDir);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

async function savedPassword(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(passwordFileOf(dataDir), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes `dataDir` a cluster PostgreSQL can start on: runs initdb when it has no PG_VERSION, hands
 * it to `user` when given, and removes a postmaster.pid left by a killed run. Returns the
 * superuser password: `password`, else the saved one, else (new cluster only) a random one.
 */
export async function prepareCluster(options: ClusterOptions): Promise<string> {
  const { dataDir, user } = options;
  const exists = existsSync(join(dataDir, 'PG_VERSION'));
  const saved = await savedPassword(dataDir);
  if (exists && options.password === undefined && saved === undefined) {
    throw new Error(
      `PostgreSQL cluster ${dataDir} exists but its password file ${passwordFileOf(dataDir)} is ` +
        'missing: pass `password`, or delete the data directory to start afresh.',
    );
  }
  const password = options.password ?? saved ?? randomBytes(24).toString('base64url');
  // Parents get the default mode: a 0700 parent would lock the postgres OS user out.
  await mkdir(dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) {
    await assertReachable(dataDir, user);
    await giveTo(dataDir, user);
  }
  if (!exists) {
    await initdb(options, password);
    await rememberPassword(dataDir, password);
  }
  await removeStalePidFile(dataDir, options.onProgress);
  return password;
}

async function initdb(options: ClusterOptions, password: string): Promise<void> {
  const { dataDir, user, binaries, onProgress } = options;
  onProgress?.(`Creating a PostgreSQL cluster in ${dataDir}`);
  const pwDir = await mkdtemp(join(tmpdir(), 'initdb-'));
  try {
    const pwFile = join(pwDir, 'pw');
    await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (user) await giveTo(pwDir, user);
    const common = ['-D', dataDir, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${pwFile}`];
    const fast = options.persistent ? [] : ['--no-sync'];
    let lastOutput = '';
    // C.UTF-8 sorts like C but understands UTF-8 characters; macOS lacks it, hence the fallback.
    for (const locale of ['C.UTF-8', 'C']) {
      const args = [...common, '-E', 'UTF8', `--locale=${locale}`, ...fast];
      const line = wrapCommand(binaries.initdb, args, { user, deathSignal: 'SIGTERM' });
      try {
        await exec(line.command, [...line.args], { cwd: '/', timeout: 120_000 });
        return;
      } catch (error) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        lastOutput = `${stdout}${stderr}`.trim() || (error as Error).message;
      }
    }
    throw new Error(`initdb failed for ${dataDir}:\n${lastOutput}`);
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
}

function isLivePostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  try {
    // After a reboot or in a fresh container the pid may belong to something else entirely.
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return true;
  }
}

async function removeStalePidFile(
  dataDir: string,
  onProgress: ((message: string) => void) | undefined,
): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  let firstLine: string;
  try {
    firstLine = (await readFile(pidFile, 'utf8')).split('\n')[0] ?? '';
  } catch {
    return;
  }
  const pid = Number.parseInt(firstLine, 10);
  // A live postmaster keeps its file; PostgreSQL itself then reports who holds the directory.
  if (pid > 0 && isLivePostgres(pid)) return;
  await rm(pidFile, { force: true });
  onProgress?.(`Removed stale ${pidFile} (process ${firstLine || '?'} is gone)`);
}
