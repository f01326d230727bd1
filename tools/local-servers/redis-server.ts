import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { findRedisServer } from './binaries.js';
import { withPort } from './free-port.js';
import { wrapCommand } from './run-as.js';
import { spawnServer, waitUntilReady } from './server-process.js';
import type { LocalTlsFiles } from './tls-certificates.js';

/** Options of `startRedis`. */
export interface StartRedisOptions {
  /** Working directory for RDB/AOF files; created when missing. */
  readonly dir: string;
  /** TCP port on 127.0.0.1. Default: a free port. */
  readonly port?: number;
  /**
   * Default false: no snapshots, no append-only file. Set true to keep data across restarts
   * (`--appendonly yes` in `dir`).
   */
  readonly persistent?: boolean;
  /** Serve TLS only (`--port 0 --tls-port`), as Memorystore with in-transit encryption does. */
  readonly tls?: LocalTlsFiles;
  /** Require AUTH with this password (`--requirepass`), as Memorystore's AUTH string. */
  readonly password?: string;
  /** Receives one line per slow step. Default: silent. */
  readonly onProgress?: (message: string) => void;
}

/** A running Redis server listening on 127.0.0.1 only. */
export interface RedisServer {
  readonly port: number;
  readonly host: '127.0.0.1';
  /** `redis://127.0.0.1:<port>`; `rediss://` with TLS, `:<password>@` with a password. */
  readonly url: string;
  /** SIGTERM, SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;

/**
 * Starts `redis-server` as a child process and resolves once it answers PING.
 * @throws Error naming what to install when `redis-server` is missing, or with the server's last
 * log lines when it fails to start within 15 s.
 */
export async function startRedis(options: StartRedisOptions): Promise<RedisServer> {
  const redisServer = findRedisServer();
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const persistence = options.persistent
    ? ['--appendonly', 'yes']
    : ['--save', '', '--appendonly', 'no'];
  return withPort(options.port, async (port) => {
    options.onProgress?.(`Starting Redis on 127.0.0.1:${port} (${dir})`);
    const args = [
      ...listenArgs(port, options.tls),
      ...['--bind', '127.0.0.1', '--protected-mode', 'yes'],
      ...['--dir', dir, '--daemonize', 'no', ...persistence],
      ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    ];
    const child = spawnServer(wrapCommand(redisServer, args, { deathSignal: 'SIGTERM' }), {
      name: 'Redis',
      stopSignal: 'SIGTERM',
      killAfterMs: 5_000,
    });
    await waitUntilReady(child, 'Redis', () => answersPing(port, options), READY_TIMEOUT_MS);
    const scheme = options.tls ? 'rediss' : 'redis';
    const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
    return {
      port,
      host: '127.0.0.1',
      url: `${scheme}://${auth}127.0.0.1:${port}`,
      stop: child.stop,
    };
  });
}

/** Plain TCP on `port`, or TLS only on it (client certificates not asked for, as Memorystore). */
const listenArgs = (port: number, tls: LocalTlsFiles | undefined): string[] =>
  tls
    ? [
        ...['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no'],
        ...['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile],
        ...['--tls-ca-cert-file', tls.caFile],
      ]
    : ['--port', String(port)];

/**
 * True when a PING on a fresh connection (over TLS trusting the server's CA, after AUTH when
 * there is a password) is answered with PONG (not, e.g., -LOADING).
 */
function answersPing(
  port: number,
  { tls, password }: Pick<StartRedisOptions, 'tls' | 'password'>,
): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = tls
      ? connectTls({
          host: '127.0.0.1',
          port,
          ca: readFileSync(tls.caFile),
          // The probe asks whether the server answers; which names its certificate carries is
          // the clients' check (the kit accepts a CN-only certificate, as Memorystore's is).
          checkServerIdentity: () => undefined,
        })
      : connect({ host: '127.0.0.1', port });
    const auth = password === undefined ? '' : command('AUTH', password);
    let reply = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(`${auth}PING\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      // The last line answers PING; an AUTH refused would make it -NOAUTH.
      const lines = reply.split('\r\n');
      if (lines.length > (auth ? 2 : 1)) finish(lines.at(-2)?.startsWith('+PONG') ?? false);
    });
  });
}

/** A command in RESP, so that any password goes through unquoted. */
const command = (...words: string[]): string =>
  `*${words.length}\r\n${words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`).join('')}`;
