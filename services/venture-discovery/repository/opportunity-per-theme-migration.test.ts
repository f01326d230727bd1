import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { loadMigrations, migrate, migrationsDirOf } from '../../platform/migrations.js';

const database = useTestDatabase('venture-discovery-theme-migration');
let sql: Database;
beforeAll(() => {
  sql = createDatabase({ url: database.url, applicationName: 'theme-migration', max: 2 });
});
afterAll(() => sql?.end());

const RUN = (n: number) => `5222222${n}-2222-4222-8222-222222222222`;
const OPPORTUNITY = (n: number) => `5333333${n}-3333-4333-8333-333333333333`;
const SCORE_VERSION = 4;

describe('migration 004: one opportunity per theme', () => {
  it('merges the rows earlier runs wrote for one theme into its latest, keeping history, feedback and the rejection', async () => {
    const all = await loadMigrations(migrationsDirOf('venture-discovery'));
    await migrate(sql, {
      service: 'venture-discovery',
      migrations: all.filter((m) => m.version < SCORE_VERSION),
    });
    for (const n of [1, 2, 3]) {
      await sql`insert into discovery_runs (id, trigger, state, created_at)
                values (${RUN(n)}, ${`manual:${n}`}, 'succeeded', now() - ${`${10 - n} hours`}::interval)`;
      await sql`
        insert into discovery_opportunities
          (id, run_id, theme_key, title, summary, themes, entities, score, components, signal_strength,
           growth, novelty, competition_density, capability_fit, confidence, status, published, created_at)
        values (${OPPORTUNITY(n)}, ${RUN(n)}, 'pet telehealth', 'Pet telehealth', 's', ${['pet']},
                '[]', ${n / 10}, '{}', 0, 0, 0, 0, 0, 0, ${n === 1 ? 'rejected' : 'open'}, ${n === 2},
                now() - ${`${10 - n} hours`}::interval)`;
    }
    await sql`insert into discovery_opportunities
          (id, run_id, theme_key, title, summary, themes, entities, score, components, signal_strength,
           growth, novelty, competition_density, capability_fit, confidence)
        values (${OPPORTUNITY(4)}, ${RUN(1)}, 'battery recycling', 'Battery', 's', ${['battery']},
                '[]', 0.5, '{}', 0, 0, 0, 0, 0, 0)`;
    await sql`insert into discovery_feedback (id, opportunity_id, verdict, reason)
              values ('54444444-4444-4444-8444-444444444444', ${OPPORTUNITY(1)}, 'reject', 'no')`;

    await migrate(sql, { service: 'venture-discovery', migrations: all });

    const rows = await sql<
      { id: string; run_id: string; status: string; published: boolean; score: number }[]
    >`select id, run_id, status, published, score from discovery_opportunities order by theme_key`;
    expect(rows).toEqual([
      { id: OPPORTUNITY(4), run_id: RUN(1), status: 'open', published: false, score: 0.5 },
      { id: OPPORTUNITY(3), run_id: RUN(3), status: 'rejected', published: true, score: 0.3 },
    ]);
    const history = await sql<{ run_id: string; score: number }[]>`
      select run_id, score from discovery_opportunity_scores
       where opportunity_id = ${OPPORTUNITY(3)} order by created_at`;
    expect(history).toEqual([1, 2, 3].map((n) => ({ run_id: RUN(n), score: n / 10 })));
    const [feedback] = await sql<{ opportunity_id: string }[]>`
      select opportunity_id from discovery_feedback`;
    expect(feedback?.opportunity_id).toBe(OPPORTUNITY(3));
  });
});
