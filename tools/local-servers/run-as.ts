import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from './binaries.js';

const exec = promisify(execFile);
const SETPRIV_DIRS = ['/usr/bin', '/bin'];

/** An OS account a server is run as, by name and numeric ids. */
export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** A command ready for `spawn`/`execFile`. */
export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * PostgreSQL refuses to run as root. When this process is root, returns the `postgres` OS account
 * to run it as; otherwise undefined (run as the current user).
 * @throws Error when running as root and no `postgres` account exists.
 */
export async function postgresUserWhenRoot(): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number((await exec('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await exec('id', ['-g', 'postgres'])).stdout.trim());
    return { name: 'postgres', uid, gid };
  } catch {
    throw new Error(
      'PostgreSQL refuses to run as root and there is no `postgres` OS user to run it as. ' +
        'Create one (`useradd --system --user-group postgres`), run as a non-root user, ' +
        'or set DATABASE_URL to use an existing server.',
    );
  }
}

/**
 * Wraps a command so that it runs as `user` (when given) and receives `deathSignal` when this
 * process dies, even by SIGKILL. Uses `setpriv` (util-linux), which execs in place so signals
 * sent to the child reach the server itself. `runuser` is not a fallback: it ignores SIGINT,
 * PostgreSQL's fast-shutdown signal, and forwards no SIGKILL, which would orphan the server.
 * Without `setpriv` and without `user`, returns the bare command.
 * @throws Error when `user` is given and `setpriv` is missing.
 */
export function wrapCommand(
  command: string,
  args: readonly string[],
  { user, deathSignal }: { user?: OsUser | undefined; deathSignal: NodeJS.Signals },
): CommandLine {
  const setpriv =
    process.platform === 'linux' ? findExecutable('setpriv', SETPRIV_DIRS) : undefined;
  if (setpriv) {
    const identity = user
      ? [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--reset-env']
      : [];
    return {
      command: setpriv,
      args: [...identity, '--pdeathsig', deathSignal, '--', command, ...args],
    };
  }
  if (!user) return { command, args };
  throw new Error(
    `setpriv not found: it is needed to run ${command} as the ${user.name} OS user while running ` +
      'as root. Install it with `apt-get install util-linux`, or run as a non-root user.',
  );
}

/** Recursively gives `path` to `user` (`chown -R`). */
export async function giveTo(path: string, user: OsUser): Promise<void> {
  await exec('chown', ['-R', `${user.uid}:${user.gid}`, path]);
}

/**
 * Checks that `user` can traverse every directory above `path`, so a server running as that user
 * can reach it; a `mkdtemp` directory (mode 0700, owned by root) is the usual culprit.
 * @throws Error naming the directory and the fix.
 */
export async function assertReachable(path: string, user: OsUser): Promise<void> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const bits = info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if ((info.mode & bits) === 0) {
      throw new Error(
        `PostgreSQL runs as the \`${user.name}\` OS user, which cannot enter ${dir} ` +
          `(mode ${(info.mode & 0o777).toString(8)}, owner uid ${info.uid}). ` +
          `Run \`chmod o+x ${dir}\` or put the data directory somewhere ${user.name} can reach.`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}
