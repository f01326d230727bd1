import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { startPostgres } from '../tools/local-servers/index.js';
import { generateJwtKeyPair } from '../tools/local-stack/jwt-key-pair.js';
import { type BatchLoadResult, runBatches } from './ledger/batch-load.js';
import { type CpuShare, cpuShare, cpuSnapshot } from './ledger/cpu-usage.js';
import {
  batchFigures,
  type ConcurrencyRounds,
  concurrencyFigures,
  type Measured,
} from './ledger/figures.js';
import { transferRequest } from './ledger/ledger-api.js';
import { prepareLedgerFixture, randomTransfer } from './ledger/ledger-fixture.js';
import { type LedgerService, startLedgerService } from './ledger/ledger-service.js';
import { runClosedLoop } from './ledger/load-generator.js';
import { round } from './ledger/percentiles.js';
import { findPgbench, initPgbench, runPgbench } from './ledger/pgbench.js';
import {
  type BenchSettings,
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
/**
 * Transfers go between random pairs of 1,000 accounts, so two concurrent transfers rarely lock the
 * same row: like pgbench at scale 16, which spreads its updates over 16 branches, 160 tellers and
 * 1.6 million accounts, the benchmark does not measure a single hot row.
 */
const ACCOUNTS = 1000;
/** 1e8 AIA in all, a tenth of the genesis supply: the treasury keeps room for other uses. */
const FUNDING = '100000';
/** Small enough that no account runs dry however many transfers a run makes. */
const AMOUNT = '0.000001';
/** The service's connection pool (DATABASE_POOL_MAX); pgbench opens one connection per client. */
const POOL_MAX = 20;

const progress = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

/** Service processes (like replicas behind a load balancer): `BENCH_REPLICAS`, default 1. */
function replicasFromEnv(): number {
  const value = process.env.BENCH_REPLICAS ?? '1';
  const replicas = Number(value);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 8) {
    throw new Error(`BENCH_REPLICAS must be a whole number from 1 to 8, not '${value}'`);
  }
  return replicas;
}

function secondsFromEnv(): number {
  const value = process.env.BENCH_SECONDS ?? '10';
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`BENCH_SECONDS must be a whole number of seconds ≥ 1, not '${value}'`);
  }
  return seconds;
}

/**
 * `npm run bench -- ledger [rounds]`: the ledger's transfer throughput and latency against
 * pgbench's TPC-B-like transactions on the same PostgreSQL (durable settings, as deployed), at 16
 * and 64 clients, plus the batch endpoint's throughput. A round runs pgbench then the ledger at
 * each concurrency, then the batch path; with several rounds the medians are reported (the ratio
 * is the median of each round's ratio). Each run lasts `BENCH_SECONDS` (default 10); `BENCH_REPLICAS` service processes (default 1) share the clients. Writes `bench/results/ledger.json`.
 */
export async function benchLedger(runs = 1): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const seconds = secondsFromEnv();
  const replicas = replicasFromEnv();
  const teardown = new Teardown();
  const removeHandlers = teardown.exitOnSignals();
  try {
    const result = await measure(root, { seconds, replicas }, runs, teardown);
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
  { seconds, replicas }: { seconds: number; replicas: number },
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

  progress(`starting economic-governor (${replicas} process${replicas === 1 ? '' : 'es'})`);
  const jwtKeys = await generateJwtKeyPair();
  const services: LedgerService[] = [];
  for (let replica = 0; replica < replicas; replica++) {
    const started = await startLedgerService({
      root,
      databaseUrl: urlOf('ledger'),
      jwtPublicKeys: jwtKeys.JWT_PUBLIC_KEYS,
      poolMax: POOL_MAX,
      signal,
    });
    teardown.add(`stop economic-governor #${replica + 1}`, () => started.stop());
    services.push(started);
  }
  const [service] = services as [LedgerService];
  const origins = services.map((each) => each.origin);
  const servicePids = services.flatMap((each) => (each.pid === undefined ? [] : [each.pid]));
  const withServiceOutput = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      for (const each of services) {
        const output = each.recentOutput();
        if (output && !signal.aborted) progress(`economic-governor's last output:\n${output}`);
      }
      throw error;
    }
  };

  const fixture = await withServiceOutput(() =>
    prepareLedgerFixture({
      origin: service.origin,
      jwtSigningKey: jwtKeys.JWT_SIGNING_KEY,
      accounts: ACCOUNTS,
      funding: FUNDING,
      concurrency: 200,
      onProgress: progress,
    }),
  );

  // CPU snapshots around each measured window; the postmaster's pid is the first line of its pid file.
  const postmasterPid = Number(
    (await readFile(join(server.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
  );
  const snapshot = (pids?: readonly number[]) => cpuSnapshot(postmasterPid, pids);
  const measured = async <T>(
    run: () => Promise<T>,
    { warmupMs = 0, pids }: { warmupMs?: number; pids?: readonly number[] } = {},
  ): Promise<Measured<T>> => {
    // Same event loop as the load generator's clock: the snapshot lands within a few ms of the
    // end of its warm-up.
    let before = warmupMs === 0 ? snapshot(pids) : undefined;
    const timer =
      warmupMs === 0
        ? undefined
        : setTimeout(() => {
            before = snapshot(pids);
          }, warmupMs);
    try {
      const result = await run();
      return { result, cpu: cpuShare(before, snapshot(pids)) };
    } finally {
      clearTimeout(timer);
    }
  };

  const perClients = new Map<number, ConcurrencyRounds>(
    CLIENTS.map((c) => [c, { pgbench: [], ledger: [] }]),
  );
  const batches: Measured<BatchLoadResult>[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const clients of CLIENTS) {
      const results = perClients.get(clients) as ConcurrencyRounds;
      // A checkpoint before each run, so neither pays for the dirty pages the other left.
      await admin`checkpoint`;
      progress(`round ${round}: pgbench, ${clients} clients, ${seconds} s`);
      const reference = await measured(() =>
        runPgbench(pgbench, { clients, threads: PGBENCH_THREADS, seconds, workDir }),
      );
      progress(
        `  ${round1(reference.result.tps)} tps, p99 ${round1(reference.result.p99Ms)} ms${cpuNote(reference.cpu)}`,
      );
      results.pgbench.push(reference);

      await admin`checkpoint`;
      progress(`round ${round}: ledger, ${clients} clients, ${seconds} s after a 2 s warm-up`);
      const load = await withServiceOutput(() =>
        measured(
          () =>
            runClosedLoop({
              origins,
              clients,
              warmupMs: WARMUP_MS,
              durationMs: seconds * 1000,
              next: () =>
                transferRequest(fixture.loadToken, randomTransfer(fixture.accountIds, AMOUNT)),
              signal,
            }),
          { warmupMs: WARMUP_MS, pids: servicePids },
        ),
      );
      const { perSecond, p99Ms, errors, firstError } = load.result;
      progress(
        `  ${round1(perSecond)} transfers/s, p99 ${round1(p99Ms)} ms, ${errors} errors${cpuNote(load.cpu)}`,
      );
      if (firstError) progress(`  first error: ${firstError}`);
      results.ledger.push(load);
    }

    await admin`checkpoint`;
    progress(`round ${round}: batches of 8,000 transfers for ${seconds} s`);
    const batch = await withServiceOutput(() =>
      measured(
        () =>
          runBatches({
            origin: service.origin,
            token: fixture.loadToken,
            accountIds: fixture.accountIds,
            amount: AMOUNT,
            durationMs: seconds * 1000,
            minBatches: 5,
            signal,
          }),
        { pids: servicePids },
      ),
    );
    progress(
      `  ${round1(batch.result.perSecond)} transfers/s, ${batch.result.batches} batches${cpuNote(batch.cpu)}`,
    );
    batches.push(batch);
  }

  const concurrency = CLIENTS.map((clients) =>
    concurrencyFigures(clients, perClients.get(clients) as ConcurrencyRounds),
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
    replicas,
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

const cpuNote = (cpu: CpuShare | undefined): string =>
  cpu
    ? `; CPU cores: postgres ${cpu.postgres}${cpu.service === undefined ? '' : `, service ${cpu.service}`}, client ${cpu.client}, other ${cpu.other}`
    : '';

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
