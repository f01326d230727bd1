import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findPostgresBinaries } from '../../tools/local-servers/index.js';
import { percentile } from './percentiles.js';

/** How to reach the database pgbench works on. */
export interface PgbenchTarget {
  /** Path of the `pgbench` executable (see `findPgbench`). */
  readonly pgbench: string;
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Stops pgbench early (Ctrl-C); the promise then rejects. */
  readonly signal?: AbortSignal;
}

/** The figures of one `pgbench` run. */
export interface PgbenchResult {
  readonly clients: number;
  readonly seconds: number;
  readonly transactions: number;
  /** "tps = N (without initial connection time)". */
  readonly tps: number;
  /** "latency average = N ms". */
  readonly latencyAverageMs: number;
  /** From the per-transaction log (`-l`). */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * `pgbench` of the PostgreSQL whose server binaries the local servers use, so client and server
 * versions match (a Debian install keeps it beside `postgres`, off PATH).
 * @throws Error when that directory has no pgbench.
 */
export function findPgbench(): string {
  return join(findPostgresBinaries().binDir, 'pgbench');
}

/**
 * The connection as libpq environment variables. pgbench is only a client: it runs as the current
 * user, also when that is root, and connects over TCP with the password, never the Unix socket
 * (which belongs to the `postgres` OS user when the server was started by root).
 */
function libpqEnv(url: string): NodeJS.ProcessEnv {
  const parsed = new URL(url);
  return {
    ...process.env,
    PGHOST: parsed.hostname,
    PGPORT: parsed.port || '5432',
    PGUSER: decodeURIComponent(parsed.username),
    PGPASSWORD: decodeURIComponent(parsed.password),
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

function runToCompletion(
  target: PgbenchTarget,
  args: readonly string[],
  cwd: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(target.pgbench, args, {
      cwd,
      env: libpqEnv(target.url),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(target.signal ? { signal: target.signal } : {}),
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output);
      else
        reject(
          new Error(
            `pgbench ${args.join(' ')} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}:\n${output.trim()}`,
          ),
        );
    });
  });
}

/** `pgbench -i -s <scale> -q`: creates and fills the TPC-B-like tables (100,000 accounts per scale unit). */
export async function initPgbench(
  target: PgbenchTarget,
  scale: number,
  cwd: string,
): Promise<void> {
  await runToCompletion(target, ['-i', '-s', String(scale), '-q'], cwd);
}

/** Reads "tps = …" and "latency average = … ms" from pgbench's summary. */
export function parsePgbenchSummary(output: string): {
  tps: number;
  latencyAverageMs: number;
  transactions: number;
} {
  const tps = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(output)?.[1];
  const latency = /^latency average = ([\d.]+) ms/m.exec(output)?.[1];
  const transactions = /^number of transactions actually processed: (\d+)/m.exec(output)?.[1];
  if (tps === undefined || latency === undefined || transactions === undefined) {
    throw new Error(`could not read tps and latency from pgbench's output:\n${output.trim()}`);
  }
  return {
    tps: Number(tps),
    latencyAverageMs: Number(latency),
    transactions: Number(transactions),
  };
}

/**
 * Transaction latencies (ms, sorted) from pgbench's `-l` logs: one line per transaction,
 * `client_id transaction_no time_us script_no epoch epoch_us`. Failed transactions (a word
 * instead of a number in the third field) are left out.
 */
async function readTransactionLog(logDir: string): Promise<number[]> {
  const latencies: number[] = [];
  for (const file of await readdir(logDir)) {
    const text = await readFile(join(logDir, file), 'utf8');
    for (const line of text.split('\n')) {
      const micros = Number(line.split(' ')[2]);
      if (line !== '' && Number.isFinite(micros)) latencies.push(micros / 1000);
    }
  }
  return latencies.sort((a, b) => a - b);
}

/**
 * The builtin TPC-B-like script (`pgbench -c <clients> -j <threads> -T <seconds> -n -l`), simple
 * query protocol (pgbench's default, no `-M`). `-n` skips the vacuum before the run, since
 * `initPgbench` just vacuumed. `-l` logs every transaction into `workDir` (removed afterwards),
 * from which the percentiles come: pgbench's summary has only the average.
 */
export async function runPgbench(
  target: PgbenchTarget,
  options: { clients: number; threads: number; seconds: number; workDir: string },
): Promise<PgbenchResult> {
  const { clients, threads, seconds, workDir } = options;
  const logDir = join(workDir, `pgbench-log-${clients}-${Date.now()}`);
  await mkdir(logDir, { recursive: true });
  try {
    const args = ['-c', String(clients), '-j', String(threads), '-T', String(seconds), '-n'];
    const output = await runToCompletion(
      target,
      [...args, '-l', `--log-prefix=${join(logDir, 'pgbench_log')}`],
      workDir,
    );
    const summary = parsePgbenchSummary(output);
    const latencies = await readTransactionLog(logDir);
    return {
      clients,
      seconds,
      ...summary,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await rm(logDir, { recursive: true, force: true });
  }
}
