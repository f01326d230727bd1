import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { findFreePort } from '../../tools/local-servers/index.js';
import { createDatabase, type Database } from '../platform/db.js';
import { migrateService } from '../platform/migrations.js';
import { startService } from '../platform/runtime.js';
import { performanceTrackerModule } from './module.js';

const database = useTestDatabase('tracker_module_start');
const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
let sql: Database;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'tracker_module_start', max: 2 });
  await migrateService(sql, 'performance-tracker');
});
afterAll(() => sql.end());

/** A settings-only variant whose evaluation finished with `status`, as a process before kept it. */
async function finishedEvaluation(status: 'promoted' | 'rejected' | 'failed'): Promise<void> {
  const id = randomUUID();
  await sql`
    insert into tracker_variants (id, parent_agent_id, kind, description, skill, settings,
                                  lineage_status, created_by)
    values (${id}, ${randomUUID()}, 'prompt', 'earlier variant', 'arithmetic', '{}'::jsonb,
            'local', 'user:ada')`;
  await sql`
    insert into tracker_evaluations (variant_id, benchmark_skill, benchmark_version, status,
                                     finished_at)
    values (${id}, 'arithmetic', 'sha256:earlier', ${status}, now())`;
}

/** Whether a query waits for a lock on tracker_evaluations (the seeding, held up by the test). */
async function seedingWaits(): Promise<boolean> {
  const [row] = await sql<{ waiting: number }[]>`
    select count(*)::int as waiting from pg_locks
     where relation = 'tracker_evaluations'::regclass and not granted`;
  return (row?.waiting ?? 0) > 0;
}

const counted = (text: string, outcome: string) =>
  Number(
    new RegExp(`^agent_improvements_total\\{outcome="${outcome}"[^}]*\\} (\\d+)$`, 'm').exec(
      text,
    )?.[1],
  );

describe('a restarted performance tracker', () => {
  it('serves /metrics only once agent_improvements_total starts at the stored outcomes', {
    timeout: 60_000,
  }, async () => {
    await finishedEvaluation('promoted');
    await finishedEvaluation('failed');
    await finishedEvaluation('failed');
    const port = await findFreePort();
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // Holds the evaluations' table, so the seeding waits where the test can see it.
    const lock = sql.begin(async (tx) => {
      await tx`lock table tracker_evaluations in access exclusive mode`;
      locked();
      await released;
    });
    await holding;
    const started = startService('performance-tracker', {
      env: {
        ...testJwtEnv,
        PORT: String(port),
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
      },
      module: performanceTrackerModule,
      logDestination: silent,
    });
    try {
      while (!(await seedingWaits())) await new Promise((resolve) => setImmediate(resolve));
      // The seeding has not finished: nothing may be listening yet.
      await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    } finally {
      release();
      await lock;
    }
    const service = await started;
    try {
      const first = await (await fetch(`${service.url}/metrics`)).text();
      expect(counted(first, 'promoted')).toBe(1);
      expect(counted(first, 'failed')).toBe(2);
      expect(counted(first, 'rejected')).toBe(0);
    } finally {
      await service.stop();
    }
  });
});
