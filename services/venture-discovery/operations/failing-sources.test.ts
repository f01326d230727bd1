import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRun } from '../repository/run-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import { startSourceServer } from '../testing/source-server.js';
import { executeNextRun } from './execute-run.js';
import { scheduleDueRun } from './runs.js';

const db = useDiscoveryDatabase('venture-discovery-failing-sources');
const MINUTE_MS = 60_000;
const HOUR_S = 3_600;
const RATE_LIMIT_S = 300;
const UNPROCESSABLE = 422;

let server: Awaited<ReturnType<typeof startSourceServer>>;
beforeAll(async () => {
  server = await startSourceServer({ '/gone.xml': { status: 500, body: 'oops' } });
});
afterAll(() => server?.close());

describe('a failing source', () => {
  it('counts as attempted: not due again before its interval, doubled per failure, nor read within its rate limit', async () => {
    const { call, context } = discoveryApp(db.sql);
    const created = await call('POST', '/sources', {
      body: {
        name: 'gone',
        kind: 'feed',
        url: server.url('/gone.xml'),
        interval_seconds: HOUR_S,
        min_interval_seconds: RATE_LIMIT_S,
        timeout_ms: 1_000,
      },
    });
    const source = (await created.json()) as { id: string };
    expect(await scheduleDueRun(context, new Date(), MINUTE_MS)).toBe(true);
    expect(await executeNextRun(context)).toBe('ran');
    expect(server.hits.get('/gone.xml')).toBe(1);

    const shown = (await (await call('GET', `/sources/${source.id}`)).json()) as {
      last_fetched_at: string | null;
      last_attempted_at: string | null;
      consecutive_failures: number;
    };
    expect(shown).toMatchObject({ last_fetched_at: null, consecutive_failures: 1 });
    expect(shown.last_attempted_at).not.toBeNull();
    // The next minute's slot: nothing is due, so no run is queued.
    expect(await scheduleDueRun(context, new Date(Date.now() + MINUTE_MS), MINUTE_MS)).toBe(false);

    // A manual run within the rate limit skips it.
    const queued = (await (await call('POST', '/runs')).json()) as { id: string };
    await executeNextRun(context);
    expect((await findRun(db.sql, queued.id))?.sources[source.id]?.unchanged).toBe(true);
    expect(server.hits.get('/gone.xml')).toBe(1);

    // Two failures in a row: due after twice its interval, not after once.
    const attemptedAgo = async (seconds: number) =>
      db.sql`update discovery_sources
                set consecutive_failures = 2,
                    last_attempted_at = now() - make_interval(secs => ${seconds})
              where id = ${source.id}`;
    await attemptedAgo(HOUR_S + 1);
    expect(await scheduleDueRun(context, new Date(Date.now() + 2 * MINUTE_MS), MINUTE_MS)).toBe(
      false,
    );
    await attemptedAgo(2 * HOUR_S + 1);
    expect(await scheduleDueRun(context, new Date(Date.now() + 3 * MINUTE_MS), MINUTE_MS)).toBe(
      true,
    );
  });

  it('refuses an interval shorter than the rate limit, naming interval_seconds', async () => {
    const { call } = discoveryApp(db.sql);
    const body = {
      name: 'too eager',
      kind: 'feed',
      url: server.url('/gone.xml'),
      interval_seconds: 60,
      min_interval_seconds: RATE_LIMIT_S,
    };
    const refused = await call('POST', '/sources', { body });
    expect(refused.status).toBe(UNPROCESSABLE);
    expect(await refused.text()).toContain('interval_seconds');

    const created = await call('POST', '/sources', { body: { ...body, interval_seconds: HOUR_S } });
    const { id } = (await created.json()) as { id: string };
    const { kind: _kind, ...update } = body;
    const replaced = await call('PUT', `/sources/${id}`, { body: update });
    expect(replaced.status).toBe(UNPROCESSABLE);
    expect(await replaced.text()).toContain('interval_seconds');
  });
});
