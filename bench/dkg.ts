import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { postgresGraphStore } from '../services/dkg-manager/graph/postgres/postgres-graph-store.js';
import { createDatabase } from '../services/platform/db.js';
import { startPostgres } from '../tools/local-servers/index.js';
import { BENCH_SHAPE } from './dkg/graph-shape.js';
import { measureGraph, type QuerySettings } from './dkg/measure-graph.js';
import { type DkgBenchResult, formatReport } from './dkg/report.js';
import { Teardown } from './ledger/teardown.js';

/** Fixes the generated graph and every drawn query: runs measure the same work. */
const SEED = 17;
/**
 * Enough queries that a p99 rests on several of the slowest (3 of 300 neighbourhoods and paths,
 * 20 of 2,000 rankings) while the whole benchmark stays within a few minutes on 2 cores.
 */
const QUERIES: QuerySettings = {
  rankings: 2000,
  rankLimit: 20,
  neighbourhoods: 300,
  hops: 3,
  paths: 300,
  maxHops: 4,
  warmup: 30,
};

const progress = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

/**
 * `npm run bench -- dkg`: the DKG Manager's PostgreSQL adapter on a generated graph of 100,000
 * nodes and 1,000,000 edges (bench/dkg/graph-shape.ts): the bulk import's rate, then p50/p99 of
 * skill ranking, 3-hop neighbourhoods and shortest paths through the GraphStore against the same
 * queries in hand-written SQL on the same database in the same run (the ratio is adapter over
 * direct). Writes `bench/results/dkg.json`.
 */
export async function benchDkg(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const teardown = new Teardown();
  const removeHandlers = teardown.exitOnSignals();
  try {
    const result = await measure(teardown);
    process.stdout.write(formatReport(result));
    await mkdir(join(root, 'bench', 'results'), { recursive: true });
    await writeFile(
      join(root, 'bench', 'results', 'dkg.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await teardown.run();
    removeHandlers();
  }
}

async function measure(teardown: Teardown): Promise<DkgBenchResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'dkg-bench-'));
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
  await admin.unsafe('create database dkg');
  const [version] = await admin<{ server_version: string; shared_buffers: string }[]>`
    select current_setting('server_version') as server_version,
           current_setting('shared_buffers') as shared_buffers`;
  const url = new URL(server.adminUrl);
  url.pathname = '/dkg';

  // The service's pool settings for both: the adapter's pool, and the direct SQL's.
  const storeSql = createDatabase({ url: url.toString(), applicationName: 'dkg-bench-adapter' });
  const directSql = createDatabase({ url: url.toString(), applicationName: 'dkg-bench-direct' });
  teardown.add('close the pools', async () => {
    await storeSql.end({ timeout: 5 });
    await directSql.end({ timeout: 5 });
  });
  const store = postgresGraphStore(storeSql);
  await store.migrate();

  const measurements = await measureGraph({
    store,
    sql: directSql,
    shape: BENCH_SHAPE,
    seed: SEED,
    queries: QUERIES,
    onProgress: progress,
    signal: teardown.signal,
  });
  return {
    benchmark: 'dkg',
    measuredAt: new Date().toISOString(),
    settings: {
      seed: SEED,
      shape: BENCH_SHAPE,
      queries: QUERIES,
      postgresVersion: version?.server_version ?? 'unknown',
      sharedBuffers: version?.shared_buffers ?? 'unknown',
      cpus: availableParallelism(),
      node: process.version,
    },
    ...measurements,
  };
}
