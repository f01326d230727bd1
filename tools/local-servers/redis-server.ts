import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { findRedisServer } from './binaries.js';
import { withPort } from './free-port.js';
import { wrapCommand } from './run-as.js';
import { spawnServer, waitUntilReady } from './server-process.js';

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
  /** Receives one line per slow step. Default: silent. */
  readonly onProgress?: (message: string) => void;
}

/** A running Redis server listening on 127.0.0.1 only. */
export interface RedisServer {
  readonly port: number;
  readonly host: '127.0.0.1';
  /** `redis://127.0.0.1:<port>` */
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
      ...['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes'],
      ...['--dir', dir, '--daemonize', 'no', ...persistence],
    ];
    const child = spawnServer(wrapCommand(redisServer, args, { deathSignal: 'SIGTERM' }), {
      name: 'Redis',
      stopSignal: 'SIGTERM',
      killAfterMs: 5_000,
    });
    await waitUntilReady(child, 'Redis', () => answersPing(port), READY_TIMEOUT_MS);
    return { port, host: '127.0.0.1', url: `redis://127.0.0.1:${port}`, stop: child.stop };
  });
}

/** True when a PING on a fresh connection is answered with PONG (not, e.g., -LOADING). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
