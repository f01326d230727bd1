import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { createDatabase } from '../services/platform/db.js';
import { migrateService } from '../services/platform/migrations.js';
import { startPostgres } from '../tools/local-servers/index.js';
import { Teardown } from './ledger/teardown.js';
import type { IngestShape } from './tracker/bench-events.js';
import { createPlainTables, type IngestRun, measureIngest } from './tracker/measure-ingest.js';
import {
  addRoundOfRuns,
  buildScorecards,
  measureRerank,
  type RerankRun,
  seedAgents,
} from './tracker/measure-rerank.js';
import { formatReport, type TrackerBenchResult } from './tracker/report.js';

/** Runs of each measurement; the median is quoted. */
const DEFAULT_RUNS = 3;
/**
 * Per ingest run: the tracker's path took in 20 to 90 runs a second on a busy 2-core machine, so
 * 400 keeps three runs of both ways near a minute there, and each skill holds dozens of runs
 * (its scorecard is recomputed once per rank publisher pass, not per event).
 */
const INGEST: IngestShape & { lanes: number } = { events: 400, agents: 100, skills: 8, lanes: 4 };
/** Five runs an agent: enough for distinct scores, while seeding stays well under a minute. */
const RERANK = { agents: 100_000, runsPerAgent: 5 };
const WINDOWS = { slidingDays: 7, halfLifeHours: 72 };

const progress = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

/**
 * `npm run bench -- tracker [runs]`: the performance tracker on a durable PostgreSQL. Events
 * ingested per second through its ingest path (the consumer's transaction: processed_events,
 * the run, its agent's two scorecards in two windows; then the rank publisher's passes: the
 * skills' scorecards and the changed rankings) against the plain SQL way to keep per-agent
 * totals of the same events; and a full re-rank of 100,000 agents (`rerank`) against GROUP BY
 * agent + rank() OVER on the same runs; same run, medians, ratios. Writes
 * `bench/results/tracker.json`.
 */
export async function benchTracker(runs = DEFAULT_RUNS): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const teardown = new Teardown();
  const removeHandlers = teardown.exitOnSignals();
  try {
    const result = await measure(teardown, Math.max(2, runs));
    process.stdout.write(formatReport(result));
    await mkdir(join(root, 'bench', 'results'), { recursive: true });
    await writeFile(
      join(root, 'bench', 'results', 'tracker.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await teardown.run();
    removeHandlers();
  }
}

async function measure(teardown: Teardown, runs: number): Promise<TrackerBenchResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'tracker-bench-'));
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
  await admin.unsafe('create database tracker');
  const [version] = await admin<
    { server_version: string }[]
  >`select current_setting('server_version') as server_version`;
  const url = new URL(server.adminUrl);
  url.pathname = '/tracker';
  const sql = createDatabase({
    url: url.toString(),
    applicationName: 'tracker-bench',
    max: INGEST.lanes + 2,
  });
  teardown.add('close the pool', () => sql.end({ timeout: 5 }));
  await migrateService(sql, 'performance-tracker');
  await createPlainTables(sql);

  const ingest: IngestRun[] = [];
  for (let run = 1; run <= runs; run++) {
    progress(`ingest run ${run} of ${runs}: ${INGEST.events} events, tracker then plain SQL`);
    const measured = await measureIngest(sql, {
      shape: INGEST,
      lanes: INGEST.lanes,
      windows: WINDOWS,
      run,
    });
    progress(
      `  tracker ${Math.round(measured.trackerPerSecond)}/s, plain SQL ${Math.round(measured.plainPerSecond)}/s`,
    );
    ingest.push(measured);
  }

  progress(
    `seeding ${RERANK.agents.toLocaleString('en-US')} agents x ${RERANK.runsPerAgent} runs for the re-rank`,
  );
  await sql`truncate tracker_runs, tracker_scorecards, tracker_current_ranks, tracker_rank_history, tracker_dirty_rankings`;
  await seedAgents(sql, RERANK.agents, RERANK.runsPerAgent);
  await buildScorecards(sql);
  const rerank: RerankRun[] = [];
  // The first pass ranks everyone for the first time; each later one follows a round of runs
  // that moved every agent's score.
  for (let run = 0; run <= runs; run++) {
    if (run > 0) {
      progress('a round of runs for every agent, taken into their scorecards (not measured)');
      await addRoundOfRuns(sql, run);
    }
    const measured = await measureRerank(sql);
    progress(
      `re-rank ${run === 0 ? '(first)' : run}: tracker ${Math.round(measured.trackerMs)} ms (${measured.changed} changed), plain SQL ${Math.round(measured.plainMs)} ms, ${measured.mismatches} mismatches`,
    );
    rerank.push(measured);
  }
  return {
    benchmark: 'tracker',
    measuredAt: new Date().toISOString(),
    settings: {
      ingest: INGEST,
      rerank: RERANK,
      runs,
      postgresVersion: version?.server_version ?? 'unknown',
      cpus: availableParallelism(),
      node: process.version,
    },
    ingest,
    rerank,
  };
}
