import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { outputTail } from '../local-servers/output-tail.js';

/** sysexits.h EX_CONFIG: `services/main.ts` exits with it for a bad configuration. */
const EX_CONFIG = 78;

export interface SupervisedOptions {
  /** Shown in messages, e.g. `economic-governor`. */
  readonly name: string;
  /** Command and arguments of the process, e.g. node with tsx running `services/main.ts <name>`. */
  readonly command: readonly [string, ...string[]];
  readonly env: NodeJS.ProcessEnv;
  /** Where the process is up: polled until it answers 200. */
  readonly healthUrl: string;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  /** One line for the person running it. */
  readonly say: (line: string) => void;
  /** First restart delay; doubles up to `maxRestartDelayMs`. Default 1,000 ms. */
  readonly restartDelayMs?: number;
  /** Default 30,000 ms. */
  readonly maxRestartDelayMs?: number;
  /** Up this long, a process counts as healthy again and the delay starts over. Default 60 s. */
  readonly stableAfterMs?: number;
  /** How long a start may take before it counts as failed. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** After SIGTERM, SIGKILL when the process has not exited within this. Default 15 s. */
  readonly stopTimeoutMs?: number;
}

export interface Supervised {
  /** Times the process was started again after dying. */
  readonly restarts: () => number;
  /** The current process id, for tests that kill it. */
  readonly pid: () => number | undefined;
  /** SIGTERM (graceful shutdown), SIGKILL after `stopTimeoutMs`; no restart after. */
  stop(): Promise<void>;
}

/**
 * Runs a service as a child process and starts it again when it dies, saying so, with a delay
 * that doubles while it keeps dying. Resolves once the first start answers at `healthUrl`; rejects
 * with the log's last lines if it never does. A configuration error (exit 78) is not retried:
 * starting again would fail the same way.
 */
export async function supervise(options: SupervisedOptions): Promise<Supervised> {
  const {
    name,
    say,
    restartDelayMs = 1_000,
    maxRestartDelayMs = 30_000,
    stableAfterMs = 60_000,
    startTimeoutMs = 60_000,
    stopTimeoutMs = 15_000,
  } = options;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  /** Whether the first start answered: only then does a death mean "start it again". */
  let up = false;
  let delay = restartDelayMs;
  const tail = outputTail(5);

  const launch = (): ChildProcess => {
    const [command, ...args] = options.command;
    // A process group of its own: Ctrl-C reaches the supervisor alone, which stops the services
    // in order instead of seeing them all exit and restarting them.
    const started = spawn(command, args, {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const orphaned = () => started.kill('SIGTERM');
    process.once('exit', orphaned);
    for (const stream of [started.stdout, started.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        tail.collect(chunk);
        log.write(chunk);
      });
    }
    const startedAt = performance.now();
    started.once('exit', (code, signal) => {
      process.removeListener('exit', orphaned);
      if (stopping) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (code === EX_CONFIG) {
        say(
          `  ✗ ${name} ${how}: its configuration is invalid, not restarting (${options.logFile})`,
        );
        return;
      }
      // Dying during the first start: `supervise` rejects with the log's tail; nothing restarts.
      if (!up) return;
      if (performance.now() - startedAt > stableAfterMs) delay = restartDelayMs;
      restarts++;
      say(`  ✗ ${name} ${how}; restarting in ${delay / 1000} s (restart ${restarts})`);
      const wait = delay;
      delay = Math.min(delay * 2, maxRestartDelayMs);
      void sleep(wait).then(async () => {
        if (stopping) return;
        child = launch();
        if (await answers(options.healthUrl, startTimeoutMs, child)) say(`  ✓ ${name} is back`);
      });
    });
    return started;
  };

  child = launch();
  if (!(await answers(options.healthUrl, startTimeoutMs, child))) {
    stopping = true;
    child.kill('SIGKILL');
    log.end();
    throw new Error(`${name} did not start (log: ${options.logFile}):\n${tail.text()}`);
  }
  up = true;
  return {
    restarts: () => restarts,
    pid: () => child?.pid,
    stop: async () => {
      stopping = true;
      const current = child;
      if (current && current.exitCode === null && current.signalCode === null) {
        const exited = once(current, 'exit');
        current.kill('SIGTERM');
        const timer = setTimeout(() => current.kill('SIGKILL'), stopTimeoutMs);
        await exited;
        clearTimeout(timer);
      }
      await new Promise((resolve) => log.end(resolve));
    },
  };
}

/** Polls `url` every 100 ms until it answers 200 (true), or the process exits or time runs out. */
async function answers(url: string, timeoutMs: number, child: ChildProcess): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return true;
    await sleep(100);
  }
  return false;
}
