import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunStep } from '../execution/run-queue.js';
import type { ChaosWorkerLine } from './chaos-settings.js';

const root = join(import.meta.dirname, '../../..');
const script = join(import.meta.dirname, 'chaos-worker.ts');
/** Every process started, ready or not, so that none outlives the test. */
const started: ChildProcess[] = [];

/** What a chaos worker needs to know: where the database and the governor are, and its keys. */
export interface ChaosWorkerEnv {
  readonly CHAOS_DATABASE_URL: string;
  readonly CHAOS_GOVERNOR_URL: string;
  readonly CHAOS_SERVICE_SIGNING_KEY: string;
  readonly CHAOS_JWT_PUBLIC_KEYS: string;
}

/** One job attempt a worker holds: its step and task. */
export interface HeldJob {
  readonly step: RunStep;
  readonly taskId: string;
  readonly attempt: number;
}

/** A worker process and what it holds right now, as its stdout says. */
export interface ChaosWorker {
  readonly name: string;
  readonly process: ChildProcess;
  /** The attempts started and not yet ended, by `step:taskId`. */
  readonly held: ReadonlyMap<string, HeldJob>;
  /** Attempts that ended in an error (pg-boss retries them), with the message. */
  readonly errors: readonly (HeldJob & { error: string })[];
  /** Its stderr so far (warnings and errors), for failure messages. */
  readonly stderr: () => string;
}

/** How long a worker may take to start (tsx compiles the service on a loaded machine). */
const READY_TIMEOUT_MS = 60_000;
/** What a failure message keeps of a worker's stderr. */
const STDERR_TAIL = 4_000;

/**
 * Starts `chaos-worker.ts` as `name` (node with tsx as a loader, so a SIGKILL reaches the process
 * that holds the jobs and connections) and resolves once it said it is ready.
 */
export async function startChaosWorker(name: string, env: ChaosWorkerEnv): Promise<ChaosWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const held = new Map<string, HeldJob>();
  const errors: (HeldJob & { error: string })[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let ready = () => {};
  const readied = new Promise<void>((resolve) => {
    ready = resolve;
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    // Anything else a library prints on stdout is not the worker's.
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as ChaosWorkerLine;
    if ('ready' in line) return ready();
    const job = { step: line.step, taskId: line.taskId, attempt: line.attempt };
    const key = `${line.step}:${line.taskId}`;
    if (line.job === 'start') held.set(key, job);
    else held.delete(key);
    if (line.error) errors.push({ ...job, error: line.error });
  });
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(
      `chaos worker ${name} exited (${signal ?? code}) before it was ready: ${stderr.slice(-STDERR_TAIL)}`,
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`chaos worker ${name} not ready in ${READY_TIMEOUT_MS} ms: ${stderr}`)),
      READY_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([readied, exited, late]);
  } finally {
    clearTimeout(timer);
  }
  exited.catch(() => {});
  return { name, process: child, held, errors, stderr: () => stderr.slice(-STDERR_TAIL) };
}

/** SIGKILLs the worker (nothing runs after it: no stop, no job completion) and waits for its end. */
export async function killChaosWorker(worker: ChaosWorker): Promise<void> {
  const child = worker.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGKILL');
  await gone;
}

/** Stops every worker started (SIGTERM, SIGKILL after 10 s), ready or not; for `afterAll`. */
export async function stopChaosWorkers(): Promise<void> {
  await Promise.all(started.splice(0).map(stop));
}

/** Stops the process gracefully (SIGTERM), or SIGKILLs it when it takes longer than 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}
