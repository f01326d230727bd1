import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalog, serviceNames } from '../../../services/catalog.js';
import { throwawayDir } from '../../../test/harness/disposable-servers.js';
import { portInUse } from '../../local-stack/stack-claim.js';
import { healthCommand } from '../commands/health.js';
import { probeService } from './service-health.js';

/**
 * `npm run ops -- health --local` against the real `npm start` (issue 22: "the CLI's `health` is
 * useful on `npm start` locally too"): PostgreSQL, Redis and the six services, each in its own
 * process, on a free port offset with data in a temporary directory. The stack is stopped as a
 * person stops it (Ctrl-C), and whatever it left running is killed, whether the tests pass or not.
 */
const root = join(import.meta.dirname, '../../..');
const run = promisify(execFile);

let dataDir: string;
let offset: number;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = await throwawayDir('vitest-local-stack-');
  offset = await freePortOffset();
  stack = startStack(offset, dataDir);
  // The supervisor's last line: every service answered /healthz and the agents were seeded.
  await stack.said('Press Ctrl-C to stop.');
  // Ready is more than alive: poll each service's /readyz until its dependencies answer.
  for (const service of serviceNames) {
    const url = `http://127.0.0.1:${catalog[service].port + offset}`;
    while ((await probeService(service, url)).state !== 'ready') await sleep(250);
  }
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('ops health --local on the stack npm start runs', () => {
  it('exits 0 with every service ready, its version and the git revision, PostgreSQL and Redis up', async () => {
    const { code, output } = await health();
    expect(code, output).toBe(0);
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const revisions = new Set<string>();
    for (const service of serviceNames) {
      const row = serviceRow(output, service);
      expect(row, output).toMatchObject({ state: 'ready', version, down: '—' });
      revisions.add(row?.revision as string);
    }
    // One revision for the stack, a commit of this checkout (npm start read it with git).
    expect(revisions.size, output).toBe(1);
    const [revision] = [...revisions] as [string];
    await expect(
      run('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], { cwd: root }),
    ).resolves.toBeDefined();
    expect(dependencyRow(output, 'postgres'), output).toEqual({ up: 6, down: 0 });
    expect(dependencyRow(output, 'redis'), output).toEqual({ up: 6, down: 0 });
  });

  it('names Redis when it stops, and still exits 0: the services run degraded without it', async () => {
    const redis = new Redis(stack.storeUrl('Redis'), {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    redis.on('error', () => {});
    await redis.connect();
    await redis.call('SHUTDOWN', 'NOSAVE').catch(() => {}); // the server closes the connection
    redis.disconnect();

    const { code, output } = await healthUntil(
      (result) => dependencyRow(result.output, 'redis')?.down === serviceNames.length,
    );
    for (const service of serviceNames) {
      const row = serviceRow(output, service);
      expect(row?.state, output).toBe('degraded');
      // The event bus is on Redis too: its check goes down with it.
      expect(row?.down.split(','), output).toContain('redis');
    }
    expect(dependencyRow(output, 'redis'), output).toEqual({ up: 0, down: 6 });
    expect(dependencyRow(output, 'postgres'), output).toEqual({ up: 6, down: 0 });
    expect(code, output).toBe(0);
  });

  it('exits 1 naming PostgreSQL when it stops', async () => {
    // As `pg_ctl stop -m fast` does (pg_ctl itself refuses to run as root): SIGINT to the postmaster.
    const postmaster = Number(
      (await readFile(join(stack.stackDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    process.kill(postmaster, 'SIGINT');
    while (alive(postmaster)) await sleep(100);

    const { code, output } = await healthUntil(
      (result) => dependencyRow(result.output, 'postgres')?.down === serviceNames.length,
    );
    expect(code, output).toBe(1);
    for (const service of serviceNames) {
      const row = serviceRow(output, service);
      expect(row?.state, output).toBe('unavailable');
      expect(row?.down.split(','), output).toContain('postgres');
      expect(row?.line, output).toMatch(/not ready: postgres \(unavailable\)$/);
    }
    expect(dependencyRow(output, 'postgres'), output).toEqual({ up: 0, down: 6 });
  });

  it('stops on Ctrl-C and leaves no process behind', async () => {
    const left = await stack.stop();
    expect(left).toEqual([]);
  });
});

/** The health command as `npm run ops -- health --local --port-offset N` runs it. */
async function health(): Promise<{ code: number; output: string }> {
  let output = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output += String(chunk);
    return true;
  });
  try {
    const code = await healthCommand(['--local', '--port-offset', String(offset)]);
    return { code, output };
  } finally {
    write.mockRestore();
  }
}

/** Runs health until `done` holds: the services notice a store going away at their next check. */
async function healthUntil(
  done: (result: { code: number; output: string }) => boolean,
): Promise<{ code: number; output: string }> {
  for (;;) {
    const result = await health();
    if (done(result)) return result;
    await sleep(250);
  }
}

interface ServiceRow {
  readonly line: string;
  readonly state: string;
  readonly version: string;
  readonly revision: string;
  readonly down: string;
}

/** A service's line of the table: `SERVICE STATE VERSION REVISION DOWN BUDGET DETAIL`. */
function serviceRow(output: string, service: string): ServiceRow | undefined {
  const line = output.split('\n').find((candidate) => candidate.startsWith(`${service} `));
  if (!line) return undefined;
  const [, state, version, revision, down] = line.trim().split(/\s+/) as string[];
  return { line, state, version, revision, down } as ServiceRow;
}

/** A dependency's line of the table: `DEPENDENCY UP DOWN`. */
function dependencyRow(output: string, name: string): { up: number; down: number } | undefined {
  const match = output.match(new RegExp(`^${name}\\s+(\\d+)\\s+(\\d+)\\s*$`, 'm'));
  return match ? { up: Number(match[1]), down: Number(match[2]) } : undefined;
}

/**
 * A port offset, a multiple of 100 as the docs suggest, at which every service's port is free
 * (below the ephemeral range, where outgoing connections take their ports).
 */
async function freePortOffset(): Promise<number> {
  const highest = Math.max(...serviceNames.map((name) => catalog[name].port));
  const steps = Math.floor((32_000 - highest) / 100);
  for (;;) {
    const candidate = 100 * (1 + Math.floor(Math.random() * steps));
    const busy = await Promise.all(
      serviceNames.map((name) => portInUse('127.0.0.1', catalog[name].port + candidate)),
    );
    if (!busy.includes(true)) return candidate;
  }
}

interface LocalStack {
  readonly stackDir: string;
  /** Resolves once the stack printed `line`; rejects with its output if it exits first. */
  said(line: string): Promise<void>;
  /** `redis://127.0.0.1:<port>` of a store the stack started (`PostgreSQL` or `Redis`). */
  storeUrl(store: 'Redis'): string;
  /**
   * Ctrl-C (SIGINT), then SIGKILL to whatever of the stack is still running after 45 s.
   * Resolves with the processes of the stack that outlived its exit (killed since).
   */
  stop(): Promise<number[]>;
}

/** `npm start -- --port-offset N` (`tsx tools/start.ts`) with its data in `dir`. */
function startStack(portOffset: number, dir: string): LocalStack {
  const child: ChildProcess = spawn(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'tools/start.ts'), '--port-offset', String(portOffset)],
    {
      cwd: root,
      // Nothing of the test run's environment (its DATABASE_URL, REDIS_URL): the stack's own.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', AIA_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit');
  /**
   * Every process of the stack (pid → start time), found before it stops: an orphan has another
   * parent by then.
   */
  const processes = new Map<number, string>();
  const collect = async () => {
    processes.clear();
    const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=']);
    const children = new Map<number, number[]>();
    for (const line of stdout.trim().split('\n')) {
      const [pid, ppid] = line.trim().split(/\s+/).map(Number) as [number, number];
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    }
    const queue = child.pid ? [child.pid] : [];
    while (queue.length > 0) {
      const pid = queue.pop() as number;
      const started = startTime(pid);
      if (started) processes.set(pid, started);
      queue.push(...(children.get(pid) ?? []));
    }
  };
  let stopping: Promise<number[]> | undefined;
  return {
    stackDir: join(dir, `port-offset-${portOffset}`),
    said: async (line) => {
      while (!output.includes(line)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`npm start exited before "${line}":\n${output}`);
        }
        await sleep(100);
      }
    },
    storeUrl: (store) => {
      const match = output.match(
        new RegExp(`▸ ${store}: starting[^\\n]*\\n {2}✓ listening on (\\S+)`),
      );
      if (!match) throw new Error(`npm start did not say where ${store} listens:\n${output}`);
      return `redis://${match[1]}`;
    },
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          await collect().catch(() => {});
          child.kill('SIGINT');
          await Promise.race([exited, sleep(45_000)]);
        }
        const left = [...processes]
          .filter(([pid, started]) => startTime(pid) === started)
          .map(([pid]) => pid);
        for (const pid of left) process.kill(pid, 'SIGKILL');
        return left;
      })();
      return stopping;
    },
  };
}

/**
 * A running process's start time (field 22 of /proc/<pid>/stat), or undefined once it exited
 * (a zombie counts as exited): with its id it names the process even after ids are reused.
 */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its `)` are plain.
    const [state, ...rest] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' ? undefined : rest[18];
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => startTime(pid) !== undefined;
