import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../../..');
const script = join(root, 'services/performance-tracker/epochs/testing/payout-worker-process.ts');
const children: ChildProcess[] = [];

/** A running payout worker process and what it printed. */
export interface PayoutProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves once it printed `line` (rejects after 30 s or when it exits first). */
  printed(line: string): Promise<void>;
}

/**
 * Starts payout-worker-process.ts with `env` (node with tsx as a loader, so a SIGKILL reaches the
 * process holding the connections) and resolves once it is running.
 */
export async function startPayoutProcess(env: Record<string, string>): Promise<PayoutProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const printed = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${line}" in 30 s: ${output}`)), 30_000);
      const check = () => {
        if (!output.split('\n').includes(line)) return;
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before printing "${line}": ${output}`));
      });
      check();
    });
  await printed('ready');
  return { child, output: () => output, printed };
}

/** SIGKILLs `child` and resolves once it is gone. */
export async function killPayoutProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGKILL');
  await gone;
}

/** SIGKILLs every payout process still running; for `afterAll`. */
export const killPayoutProcesses = () => Promise.all(children.map(killPayoutProcess));
