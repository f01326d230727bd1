import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { testJwtEnv } from '../../../test/harness/jwt.js';
import { findFreePort } from '../../../tools/local-servers/index.js';

const root = join(import.meta.dirname, '../../..');
const fixture = join(root, 'services/economic-governor/testing/ledger-service.ts');

export interface LedgerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** What the process printed, for a failure message. */
  readonly output: () => string;
}

const children: ChildProcess[] = [];

/**
 * Starts the economic governor as one real process (node with tsx as a loader, not the tsx CLI,
 * which would run the service in a grandchild that a SIGKILL of the CLI leaves running) and
 * resolves once it listens.
 */
export async function startLedgerProcess(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<LedgerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env))
    if (/^(DATABASE_|REDIS_|PORT$|HOST$|LOG_LEVEL$|PENDING_|AIA_)/.test(name)) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: root,
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: '20',
      JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
      TREASURY_PRIVATE_KEY: 't'.repeat(32),
      HOST: '127.0.0.1',
      PORT: String(await findFreePort()),
      LOG_LEVEL: 'error',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 30 s: ${output}`)), 30_000);
    const check = () => {
      const match = /ready (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready: ${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** Resolves once `child` has exited (at once if it already has). */
export const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');

/** SIGKILLs every ledger process still running; for `afterAll`. */
export async function killLedgerProcesses(): Promise<void> {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(children.map(exited));
}
