import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** Absolute paths of the PostgreSQL server executables this package runs. */
export interface PostgresBinaries {
  readonly binDir: string;
  readonly initdb: string;
  readonly postgres: string;
}

const POSTGRES_HINT =
  'PostgreSQL server binaries (initdb, postgres) not found. Install them with ' +
  '`apt-get install postgresql` (Debian/Ubuntu) or `brew install postgresql`, set PG_BIN_DIR ' +
  'to their directory, or set DATABASE_URL to use an existing server.';

const REDIS_HINT =
  'redis-server not found. Install it with `apt-get install redis-server` (Debian/Ubuntu) or ' +
  '`brew install redis`, or set REDIS_URL to use an existing server.';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pathDirs(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
}

/**
 * Finds executable `name` on `env.PATH` (default `process.env`), then in `extraDirs`.
 * Returns its absolute path, or undefined.
 */
export function findExecutable(
  name: string,
  extraDirs: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return [...pathDirs(env), ...extraDirs].map((dir) => join(dir, name)).find(isExecutable);
}

function binariesIn(binDir: string): PostgresBinaries | undefined {
  const initdb = join(binDir, 'initdb');
  const postgres = join(binDir, 'postgres');
  return isExecutable(initdb) && isExecutable(postgres) ? { binDir, initdb, postgres } : undefined;
}

function newestVersionBinaries(versionsRoot: string): PostgresBinaries | undefined {
  let versions: string[];
  try {
    versions = readdirSync(versionsRoot).filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    return undefined;
  }
  versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  for (const version of versions) {
    const found = binariesIn(join(versionsRoot, version, 'bin'));
    if (found) return found;
  }
  return undefined;
}

/**
 * Locates `initdb` and `postgres`: `PG_BIN_DIR` when set (no fallback, so a wrong value is
 * reported), else the highest version under `versionsRoot` (default `/usr/lib/postgresql`, the
 * Debian layout), else `initdb` on `PATH`. `env` defaults to `process.env`, read at call time.
 * @throws Error naming what to install when nothing is found.
 */
export function findPostgresBinaries(
  env: NodeJS.ProcessEnv = process.env,
  versionsRoot = '/usr/lib/postgresql',
): PostgresBinaries {
  if (env.PG_BIN_DIR) {
    const found = binariesIn(env.PG_BIN_DIR);
    if (found) return found;
    throw new Error(`${POSTGRES_HINT} (PG_BIN_DIR=${env.PG_BIN_DIR} has no initdb and postgres.)`);
  }
  const found = newestVersionBinaries(versionsRoot);
  if (found) return found;
  const initdb = findExecutable('initdb', [], env);
  const onPath = initdb ? binariesIn(dirname(initdb)) : undefined;
  if (onPath) return onPath;
  throw new Error(POSTGRES_HINT);
}

/**
 * Locates `redis-server` on `PATH`, then in `fallbackDirs` (default `/usr/bin`,
 * `/usr/local/bin`). `env` defaults to `process.env`, read at call time.
 * @throws Error naming what to install when it is not found.
 */
export function findRedisServer(
  env: NodeJS.ProcessEnv = process.env,
  fallbackDirs: readonly string[] = ['/usr/bin', '/usr/local/bin'],
): string {
  const found = findExecutable('redis-server', fallbackDirs, env);
  if (found) return found;
  throw new Error(REDIS_HINT);
}
