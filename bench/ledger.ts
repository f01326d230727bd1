import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { startPostgres } from '../tools/local-servers/index.js';
import { type BatchLoadResult, runBatches } from './ledger/batch-load.js';
import { transferRequest } from './ledger/ledger-api.js';
import { prepareLedgerFixture, randomTransfer } from './ledger/ledger-fixture.js';
import { startLedgerService } from './ledger/ledger-service.js';
import { type ClosedLoopResult, runClosedLoop } from './ledger/load-generator.js';
import { median, round } from './ledger/percentiles.js';
import { findPgbench, initPgbench, type PgbenchResult, runPgbench } from './ledger/pgbench.js';
import {
  type BatchFigures,
  type BenchSettings,
  type ConcurrencyFigures,
  formatReport,
  type LedgerBenchResult,
  TARGETS,
  targetsMet,
} from './ledger/report.js';
import { Teardown } from './ledger/teardown.js';

const CLIENTS = [16, 64] as const;
const PGBENCH_SCALE = 16;
/** pgbench's worker threads; the machine's cores are shared with the server anyway. */
const PGBENCH_THREADS = 2;
const WARMUP_MS = 2000;
/** 1,000 accounts: random pairs among them rarely collide, like pgbench's 16 branches. */
const ACCOUNTS = 1000;
/** 1e8 AIA in all, a tenth of the genesis supply: the treasury keeps room for other uses. */
const FUNDING = '100000';
/** Small enough that no account runs dry however many transfers a run makes. */
const AMOUNT = '0.000001';
const POOL_MAX = 20;

const progress = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

function secondsFromEnv(): number {
  const value = process.env.BENCH_SECONDS ?? '10';
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`BENCH_SECONDS must be a whole number of seconds ≥ 1, not '${value}'`);
  }
  return seconds;
}

/** Per-round results of one concurrency. */
interface Rounds {
  readonly pgbench: PgbenchResult[];
  readonly ledger: ClosedLoopResult[];
}

/**
 * `npm run bench -- ledger [rounds]`: the ledger's transfer throughput and latency against
 * pgbench's TPC-B-like transactions on the same PostgreSQL (durable settings, as deployed), at 16
 * and 64 clients, plus the batch endpoint's throughput. A round runs pgbench then the ledger at
 * each concurrency, then the batch path; with several rounds the medians are reported. Each
 * round's runs last `BENCH_SECONDS` (default 10). Writes `bench/results/ledger.json`.
 */
export async function benchLedger(runs = 1): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const seconds = secondsFromEnv();
  const teardown = new Teardown();
  const removeHandlers = teardown.exitOnSignals();
  try {
    const result = await measure(root, seconds, runs, teardown);
    process.stdout.write(formatReport(result));
    await mkdir(join(root, 'bench', 'results'), { recursive: true });
    await writeFile(
      join(root, 'bench', 'results', 'ledger.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await teardown.run();
    removeHandlers();
  }
}

async function measure(
  root: string,
  seconds: number,
  rounds: number,
  teardown: Teardown,
): Promise<LedgerBenchResult> {
  const { signal } = teardown;
  const workDir = await mkdtemp(join(tmpdir(), 'ledger-bench-'));
  teardown.add('remove the temporary directory', () =>
    rm(workDir, { recursive: true, force: true }),
  );
  // mkdtemp makes it 0700; when root, PostgreSQL runs as `postgres` and must enter it.
  await chmod(workDir, 0o711);

  progress('starting PostgreSQL (durable: fsync and synchronous_commit on)');
  const server = await startPostgres({
    dataDir: join(workDir, 'pgdata'),
    persistent: true,
    onProgress: progress,
  });
  teardown.add('stop PostgreSQL', () => server.stop());
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  teardown.add('close the admin connection', () => admin.end({ timeout: 5 }));
  const urlOf = (database: string): string => {
    const url = new URL(server.adminUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  await admin.unsafe('create database pgbench');
  await admin.unsafe('create database ledger');
  const settings = await serverSettings(admin);

  const pgbench = { pgbench: findPgbench(), url: urlOf('pgbench'), signal };
  progress(`pgbench -i -s ${PGBENCH_SCALE} (${PGBENCH_SCALE * 100_000} accounts)`);
  await initPgbench(pgbench, PGBENCH_SCALE, workDir);

  progress('starting economic-governor');
  const jwtSecret = randomBytes(36).toString('base64url');
  const service = await startLedgerService({
    root,
    databaseUrl: urlOf('ledger'),
    jwtSecret,
    signal,
  });
  teardown.add('stop economic-governor', () => service.stop());
  const fixture = await prepareLedgerFixture({
    origin: service.origin,
    jwtSecret,
    accounts: ACCOUNTS,
    funding: FUNDING,
    concurrency: 200,
    onProgress: progress,
  });
  const withServiceOutput = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const output = service.recentOutput();
      if (output && !signal.aborted) progress(`economic-governor's last output:\n${output}`);
      throw error;
    }
  };

  const perClients = new Map<number, Rounds>(CLIENTS.map((c) => [c, { pgbench: [], ledger: [] }]));
  const batches: BatchLoadResult[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const clients of CLIENTS) {
      const results = perClients.get(clients) as Rounds;
      // A checkpoint before each run, so neither pays for the dirty pages the other left.
      await admin`checkpoint`;
      progress(`round ${round}: pgbench, ${clients} clients, ${seconds} s`);
      const reference = await runPgbench(pgbench, {
        clients,
        threads: PGBENCH_THREADS,
        seconds,
        workDir,
      });
      progress(`  ${round1(reference.tps)} tps, p99 ${round1(reference.p99Ms)} ms`);
      results.pgbench.push(reference);

      await admin`checkpoint`;
      progress(`round ${round}: ledger, ${clients} clients, ${seconds} s after a 2 s warm-up`);
      const load = await withServiceOutput(() =>
        runClosedLoop({
          origin: service.origin,
          clients,
          warmupMs: WARMUP_MS,
          durationMs: seconds * 1000,
          next: () =>
            transferRequest(fixture.loadToken, randomTransfer(fixture.accountIds, AMOUNT)),
          signal,
        }),
      );
      progress(
        `  ${round1(load.perSecond)} transfers/s, p99 ${round1(load.p99Ms)} ms, ${load.errors} errors`,
      );
      if (load.firstError) progress(`  first error: ${load.firstError}`);
      results.ledger.push(load);
    }

    await admin`checkpoint`;
    progress(`round ${round}: batches of 8,000 transfers for ${seconds} s`);
    const batch = await withServiceOutput(() =>
      runBatches({
        origin: service.origin,
        token: fixture.loadToken,
        accountIds: fixture.accountIds,
        amount: AMOUNT,
        durationMs: seconds * 1000,
        minBatches: 5,
        signal,
      }),
    );
    progress(`  ${round1(batch.perSecond)} transfers/s, ${batch.batches} batches`);
    batches.push(batch);
  }

  const concurrency = CLIENTS.map((clients) =>
    concurrencyFigures(clients, perClients.get(clients) as Rounds),
  );
  const batch = batchFigures(batches);
  const benchSettings: BenchSettings = {
    ...settings,
    pgbenchScale: PGBENCH_SCALE,
    pgbenchThreads: PGBENCH_THREADS,
    seconds,
    warmupSeconds: WARMUP_MS / 1000,
    clients: CLIENTS,
    rounds,
    accounts: ACCOUNTS,
    transferAmount: AMOUNT,
    databasePoolMax: POOL_MAX,
    cpus: availableParallelism(),
    node: process.version,
  };
  return {
    benchmark: 'ledger',
    measuredAt: new Date().toISOString(),
    settings: benchSettings,
    targets: TARGETS,
    concurrency,
    batch,
    met: targetsMet(concurrency, batch),
  };
}

const round1 = (value: number): string => String(round(value, 1));

async function serverSettings(
  admin: postgres.Sql,
): Promise<Pick<BenchSettings, 'postgresVersion' | 'postgresSettings'>> {
  const names = ['fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers'];
  const rows = await admin<{ name: string; setting: string }[]>`
    select name, current_setting(name) as setting from unnest(${names}::text[]) as name`;
  const [version] = await admin<{ server_version: string }[]>`show server_version`;
  return {
    postgresVersion: version?.server_version ?? 'unknown',
    postgresSettings: Object.fromEntries(rows.map((row) => [row.name, row.setting])),
  };
}

function concurrencyFigures(clients: number, rounds: Rounds): ConcurrencyFigures {
  const pgbenchTps = median(rounds.pgbench.map((r) => r.tps));
  const ledgerPerSecond = median(rounds.ledger.map((r) => r.perSecond));
  const firstError = rounds.ledger.find((r) => r.firstError)?.firstError;
  return {
    clients,
    pgbench: {
      tps: round(pgbenchTps, 1),
      latencyAverageMs: round(median(rounds.pgbench.map((r) => r.latencyAverageMs)), 3),
      p50Ms: round(median(rounds.pgbench.map((r) => r.p50Ms)), 3),
      p99Ms: round(median(rounds.pgbench.map((r) => r.p99Ms)), 3),
      tpsPerRound: rounds.pgbench.map((r) => round(r.tps, 1)),
    },
    ledger: {
      perSecond: round(ledgerPerSecond, 1),
      p50Ms: round(median(rounds.ledger.map((r) => r.p50Ms)), 3),
      p99Ms: round(median(rounds.ledger.map((r) => r.p99Ms)), 3),
      errors: rounds.ledger.reduce((sum, r) => sum + r.errors, 0),
      perSecondPerRound: rounds.ledger.map((r) => round(r.perSecond, 1)),
      ...(firstError === undefined ? {} : { firstError }),
    },
    ratio: round(ledgerPerSecond / pgbenchTps, 3),
  };
}

function batchFigures(rounds: readonly BatchLoadResult[]): BatchFigures {
  const firstFailure = rounds.find((r) => r.firstFailure)?.firstFailure;
  return {
    batchSize: rounds[0]?.batchSize ?? 0,
    batches: rounds.reduce((sum, r) => sum + r.batches, 0),
    perSecond: round(median(rounds.map((r) => r.perSecond)), 1),
    medianBatchMs: round(median(rounds.map((r) => r.medianBatchMs)), 1),
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    perSecondPerRound: rounds.map((r) => round(r.perSecond, 1)),
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}
