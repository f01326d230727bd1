import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '../../services/catalog.js';
import { findFreePort } from '../../tools/local-servers/index.js';
import { outputTail } from '../../tools/local-servers/output-tail.js';
import { wrapCommand } from '../../tools/local-servers/run-as.js';

/** Options of `startLedgerService`. */
export interface LedgerServiceOptions {
  /** Which service to run. Default `economic-governor` (the orchestrator bench runs two). */
  readonly service?: ServiceName;
  /** The repository root (the service runs from there, as `npm run service` does). */
  readonly root: string;
  readonly databaseUrl: string;
  /** JWT_PUBLIC_KEYS: the issuer's public keys (a JWKS, as JSON). */
  readonly jwtPublicKeys: string;
  /** DATABASE_POOL_MAX. */
  readonly poolMax: number;
  /** Extra environment, e.g. a larger body limit. */
  readonly env?: Readonly<Record<string, string>>;
  /** Default 60 s: tsx compiles the service and the migrations run before it listens. */
  readonly readyTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The economic-governor service running as a child process. */
export interface LedgerService {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: URL;
  /** Its process id (setpriv execs in place, so this is the Node process itself). */
  readonly pid: number | undefined;
  /** The last lines it wrote (JSON logs), for error messages. */
  recentOutput(): string;
  /** SIGTERM (its graceful shutdown), SIGKILL after 15 s; resolves once it exited. Idempotent. */
  stop(): Promise<void>;
}

const KEEP_LINES = 40;

/**
 * Starts `services/main.ts <service>` (economic-governor unless `service` names another) in its
 * own Node process, as production runs it (one process per service), and resolves once
 * `GET /readyz` answers 200. Node runs the service with tsx as a loader (`node --import=tsx`)
 * rather than through the `tsx` CLI, so there is no relaying parent between this process and the
 * service: signals reach the service itself, and `setpriv --pdeathsig` (when available) stops it
 * even if this process is killed.
 * @throws Error with the service's last output when it exits or is not ready in time.
 */
export async function startLedgerService(options: LedgerServiceOptions): Promise<LedgerService> {
  const port = await findFreePort();
  const origin = new URL(`http://127.0.0.1:${port}`);
  const service = options.service ?? 'economic-governor';
  const line = wrapCommand(process.execPath, ['--import=tsx', 'services/main.ts', service], {
    deathSignal: 'SIGTERM',
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_PUBLIC_KEYS: options.jwtPublicKeys,
    // Required by the service's schema; the benchmark never signs anything with it.
    TREASURY_PRIVATE_KEY: randomBytes(48).toString('base64url'),
    // Without REDIS_URL the rate limiter admits everything; the high limit says so explicitly.
    RATE_LIMIT_MAX: '100000000',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_MAX: String(options.poolMax),
  };
  // An empty REDIS_URL is invalid, not absent: remove one inherited from the shell (one given in
  // `env`, e.g. the gateway benchmark's Redis, stays).
  if (options.env?.REDIS_URL === undefined) delete env.REDIS_URL;
  const child = spawn(line.command, [...line.args], {
    cwd: options.root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });

  // The pipes must be drained or a chatty service would block on a full pipe.
  const tail = outputTail(KEEP_LINES);
  child.stdout.on('data', tail.collect);
  child.stderr.on('data', tail.collect);
  const recentOutput = tail.text;

  let exitDescription: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitDescription = `could not be started: ${error.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitDescription = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitDescription !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    const failure =
      exitDescription !== undefined
        ? `${exitDescription} before it was ready`
        : options.signal?.aborted
          ? 'start was interrupted'
          : Date.now() > deadline
            ? `was not ready within ${Math.round((options.readyTimeoutMs ?? 60_000) / 1000)} s`
            : undefined;
    if (failure !== undefined) {
      await stop();
      const output = recentOutput();
      throw new Error(`${service} ${failure}.${output ? ` Last output:\n${output}` : ''}`);
    }
    if (await isReady(origin)) return { origin, pid: child.pid, recentOutput, stop };
    await sleep(200);
  }
}

async function isReady(origin: URL): Promise<boolean> {
  try {
    const response = await fetch(new URL('/readyz', origin), { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
