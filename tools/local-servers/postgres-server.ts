import { chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { findPostgresBinaries } from './binaries.js';
import { withPort } from './free-port.js';
import { prepareCluster, rememberPassword } from './postgres-cluster.js';
import { giveTo, type OsUser, postgresUserWhenRoot, wrapCommand } from './run-as.js';
import { spawnServer, waitUntilReady } from './server-process.js';
import type { LocalTlsFiles } from './tls-certificates.js';

/** Options of `startPostgres`. */
export interface StartPostgresOptions {
  /** Cluster directory: initdb runs when it holds no PG_VERSION, an existing cluster is reused. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1. Default: a free port. */
  readonly port?: number;
  /**
   * Superuser (`postgres`) password. Default: the one saved in `<dataDir>.password` by an
   * earlier start, else a new random one (then saved there, mode 0600).
   */
  readonly password?: string;
  /**
   * Default false: fsync, synchronous_commit and full_page_writes are off, which is fast but
   * loses data on a machine crash. Set true for data that must survive (`npm start`).
   */
  readonly persistent?: boolean;
  /**
   * Require SSL, as Cloud SQL with `ENCRYPTED_ONLY` does: the server presents `certFile`, and
   * its pg_hba accepts `hostssl` connections only (password, scram-sha-256). `adminUrl` then
   * ends in `?sslmode=require`.
   */
  readonly ssl?: LocalTlsFiles;
  /** Receives one line per slow step (initdb, start). Default: silent. */
  readonly onProgress?: (message: string) => void;
  /**
   * Further server settings (`-c name=value`), applied over the defaults above, e.g. WAL
   * archiving or recovery targets for a restore drill. Default none.
   */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A running PostgreSQL server listening on 127.0.0.1 only. */
export interface PostgresServer {
  readonly port: number;
  readonly host: '127.0.0.1';
  /**
   * `postgres://postgres:<password>@127.0.0.1:<port>/postgres`, password URL-encoded, with
   * `?sslmode=require` when SSL is required.
   */
  readonly adminUrl: string;
  /** Absolute path of the cluster directory. */
  readonly dataDir: string;
  /** Fast shutdown (SIGINT), SIGKILL after 10 s. Idempotent. */
  stop(): Promise<void>;
  /**
   * Immediate shutdown (SIGQUIT, as `pg_ctl stop -m immediate`): connections drop at once, no
   * checkpoint; the next start on `dataDir` runs crash recovery. For outage tests.
   */
  crash(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
// sun_path holds 107 bytes plus NUL; PostgreSQL also puts a ".lock" file next to the socket.
const MAX_SOCKET_PATH = 100;

/**
 * Starts PostgreSQL as a child process on `dataDir` and resolves once it answers `select 1`.
 * When this process is root, the server runs as the `postgres` OS user.
 * @throws Error naming what to install when the binaries are missing, or with the server's last
 * log lines when it fails to start within 30 s.
 */
export async function startPostgres(options: StartPostgresOptions): Promise<PostgresServer> {
  const binaries = findPostgresBinaries();
  const user = await postgresUserWhenRoot();
  const dataDir = resolve(options.dataDir);
  const persistent = options.persistent ?? false;
  const { onProgress } = options;
  const password = await prepareCluster({ ...options, dataDir, persistent, binaries, user });
  const server = await withPort(options.port, async (port) => {
    onProgress?.(`Starting PostgreSQL on 127.0.0.1:${port} (${dataDir})`);
    const settings = {
      listen_addresses: '127.0.0.1',
      max_connections: '200',
      ...(persistent ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
      ...(options.ssl ? await sslSettings(dataDir, options.ssl, user) : {}),
      ...options.settings,
    };
    const ssl = options.ssl !== undefined;
    return launch({ dataDir, port, password, user, postgresBin: binaries.postgres, settings, ssl });
  });
  await rememberPassword(dataDir, password);
  return server;
}

interface LaunchOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly password: string;
  readonly user: OsUser | undefined;
  readonly postgresBin: string;
  readonly settings: Record<string, string>;
  readonly ssl: boolean;
}

/**
 * SSL on with copies of the certificate and key inside the cluster directory (PostgreSQL reads
 * its key only when the server's OS user owns it with mode 0600), and an hba file of its own
 * that admits TCP connections over SSL only.
 */
async function sslSettings(
  dataDir: string,
  files: LocalTlsFiles,
  user: OsUser | undefined,
): Promise<Record<string, string>> {
  const at = (file: string) => join(dataDir, file);
  await copyFile(files.certFile, at('server.crt'));
  await copyFile(files.keyFile, at('server.key'));
  await chmod(at('server.key'), 0o600);
  await writeFile(
    at('pg_hba.ssl.conf'),
    '# TCP over SSL only, as Cloud SQL with ENCRYPTED_ONLY: a plain connection is refused.\n' +
      'hostssl all all 127.0.0.1/32 scram-sha-256\n',
  );
  if (user) await giveTo(dataDir, user);
  return {
    ssl: 'on',
    ssl_cert_file: at('server.crt'),
    ssl_key_file: at('server.key'),
    hba_file: at('pg_hba.ssl.conf'),
  };
}

async function launch(options: LaunchOptions): Promise<PostgresServer> {
  const { dataDir, port, user } = options;
  const socketPath = join(dataDir, `.s.PGSQL.${port}.lock`);
  const ownSocketDir =
    Buffer.byteLength(socketPath) > MAX_SOCKET_PATH
      ? await mkdtemp(join(tmpdir(), 'pgsock-'))
      : undefined;
  if (ownSocketDir && user) await giveTo(ownSocketDir, user);
  const settings = { ...options.settings, unix_socket_directories: ownSocketDir ?? dataDir };
  const args = ['-D', dataDir, '-p', String(port)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);

  // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
  const line = wrapCommand(options.postgresBin, args, { user, deathSignal: 'SIGINT' });
  const child = spawnServer(line, {
    name: 'PostgreSQL',
    stopSignal: 'SIGINT',
    killAfterMs: 10_000,
  });
  let stopping: Promise<void> | undefined;
  const stopWith = (signal: NodeJS.Signals): Promise<void> => {
    stopping ??= child
      .stop(signal)
      .then(() => (ownSocketDir ? rm(ownSocketDir, { recursive: true, force: true }) : undefined));
    return stopping;
  };
  const stop = () => stopWith('SIGINT');
  const crash = () => stopWith('SIGQUIT');

  const sslmode = options.ssl ? '?sslmode=require' : '';
  const adminUrl = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres${sslmode}`;
  try {
    await waitUntilReady(child, 'PostgreSQL', () => answersSelect(adminUrl), READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, host: '127.0.0.1', adminUrl, dataDir, stop, crash };
}

async function answersSelect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // 28P01 / 28000: wrong password or no such role; retrying cannot help.
    if (code === '28P01' || code === '28000') {
      throw new Error(`${(error as Error).message}: the password passed or saved does not match`);
    }
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
