import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { outputTail } from './output-tail.js';
import type { CommandLine } from './run-as.js';

/** How a server child process is named in errors and stopped. */
export interface ServerProcessOptions {
  /** Name used in error messages, e.g. `PostgreSQL`. */
  readonly name: string;
  /** Signal asking for an orderly but prompt shutdown. */
  readonly stopSignal: NodeJS.Signals;
  /** Milliseconds to wait after `stopSignal` before SIGKILL. */
  readonly killAfterMs: number;
  /** Output lines kept for error messages. Default 40. */
  readonly keepLines?: number;
}

/** A long-running server child whose output is kept in a ring buffer. */
export interface ServerProcess {
  /** Resolves with a short description once the process has exited. */
  readonly exited: Promise<string>;
  /** The last lines the server wrote to stdout and stderr. */
  recentOutput(): string;
  /**
   * Sends `signal` (default `stopSignal`), then SIGKILL after `killAfterMs`; resolves on exit.
   * Idempotent: a second call waits for the first.
   */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Spawns a server in its own process group with its output piped into a ring buffer (a pipe
 * nobody reads would fill up and block the server). If this Node process exits first, the server
 * receives `stopSignal` (and, where setpriv is used, the parent-death signal).
 */
export function spawnServer(line: CommandLine, options: ServerProcessOptions): ServerProcess {
  const keepLines = options.keepLines ?? 40;
  const tail = outputTail(keepLines);
  const collect = tail.collect;

  // A process group of its own: Ctrl-C in a terminal signals the whole foreground group, and the
  // server must stop after the services that use it, when its owner says so, not at once.
  const child = spawn(line.command, line.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: '/',
    detached: true,
  });
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const onParentExit = (): void => {
    child.kill(options.stopSignal);
  };
  process.once('exit', onParentExit);

  let running = true;
  const exited = new Promise<string>((resolve) => {
    const finish = (description: string): void => {
      running = false;
      process.removeListener('exit', onParentExit);
      resolve(description);
    };
    child.once('error', (error) => finish(`could not be started: ${error.message}`));
    child.once('exit', (code, signal) =>
      finish(signal ? `was killed by ${signal}` : `exited with code ${code}`),
    );
  });

  let stopping: Promise<void> | undefined;
  const stop = (signal = options.stopSignal): Promise<void> => {
    stopping ??= (async () => {
      if (!running) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  const recentOutput = tail.text;
  return { exited, recentOutput, stop };
}

/**
 * Polls `probe` every 100 ms until it resolves true. Stops the server and throws an error with
 * its last log lines when it exits first, when `timeoutMs` passes, or when `probe` throws (a
 * probe throws only for failures that waiting cannot fix, such as a rejected password).
 */
export async function waitUntilReady(
  server: ServerProcess,
  name: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  let exitDescription: string | undefined;
  void server.exited.then((description) => {
    exitDescription = description;
  });
  const deadline = Date.now() + timeoutMs;
  const fail = async (reason: string): Promise<never> => {
    await server.stop();
    const output = server.recentOutput();
    throw new Error(`${name} ${reason}.${output ? ` Last log lines:\n${output}` : ''}`);
  };
  for (;;) {
    if (exitDescription) return fail(`${exitDescription} before accepting connections`);
    let ready: boolean;
    try {
      ready = await probe();
    } catch (error) {
      return fail(`is running but unusable: ${(error as Error).message}`);
    }
    if (ready) return;
    if (Date.now() > deadline) {
      return fail(`did not accept connections within ${Math.round(timeoutMs / 1000)} s`);
    }
    await sleep(100);
  }
}
