import { describe, expect, it } from 'vitest';
import { bearerCaller } from '../../../../test/harness/bearer-caller.js';
import { testPlatformKeys } from '../../../../test/harness/jwt.js';
import { kitApp } from '../../../../test/harness/kit-app.js';
import { createJwtVerifier } from '../../../platform/auth.js';
import { createOpenApiApp } from '../../../platform/openapi.js';
import { runRecord } from '../../testing/run-records.js';
import { afterEpoch, inEpoch, TEST_EPOCH, useEpochWorld } from '../testing/epoch-world.js';
import { settleUntilIdle } from '../testing/settle.js';
import { addEpochRoutes } from './epoch-routes.js';

const world = useEpochWorld('routes');
const clock = { now: new Date(inEpoch(TEST_EPOCH, 30)) };

function epochApi() {
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'performance-tracker',
  });
  const routes = createOpenApiApp();
  const context = world.context({ budget: '40', cap: '0.75', now: () => clock.now });
  addEpochRoutes(routes, context);
  const { app } = kitApp({
    service: 'performance-tracker',
    logLevel: 'silent',
    verify,
    routes,
    bodyBytes: 1_048_576,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
  });
  return { context, ...bearerCaller(app, { as: 'ada', scope: 'performance:read' }) };
}
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const json = async (response: Response) => (await response.json()) as Record<string, any>;
const ADMIN = { scope: 'performance:read performance:admin' };

describe('the epochs API', () => {
  it('shows the running epoch’s table in a dry-run, then the paid table, listed newest first', async () => {
    await world.reset();
    await world.drainPool();
    await world.fundPool('1000');
    const { call, context } = epochApi();
    const [a, b] = [await world.agent(), await world.agent()];
    await world.ingest([
      ...Array.from({ length: 10 }, () =>
        runRecord(a, { outcome: 'succeeded', finished_at: inEpoch(TEST_EPOCH, 5), quality: 1 }),
      ),
      runRecord(b, { outcome: 'succeeded', finished_at: inEpoch(TEST_EPOCH, 6) }),
    ]);

    const preview = await call('GET', '/epochs/current/dry-run');
    expect(preview.status).toBe(200);
    const table = await json(preview);
    expect(table).toMatchObject({
      epoch: TEST_EPOCH,
      status: 'pending',
      built: false,
      dry_run: true,
      rule: { epoch_hours: 1, budget: '40', score_floor: 0, cap_share: '0.75' },
      pool_balance: '1000',
      payable: '40',
      cap_amount: '30',
    });
    const lines = new Map(
      (table.payouts as { agent_id: string }[]).map((line) => [line.agent_id, line]),
    );
    expect(lines.get(a)).toMatchObject({
      runs: 10,
      successes: 10,
      amount: '30',
      capped: true,
      share: 0.75,
    });
    expect(lines.get(b)).toMatchObject({ runs: 1, amount: '10', capped: false, share: 0.25 });
    expect(lines.get(a)).toHaveProperty('account_id', world.accountOf(a));
    expect(await world.balanceOf(world.accountOf(a))).toBe('0');
    expect((await call('GET', `/epochs/${TEST_EPOCH}`)).status).toBe(404);

    clock.now = afterEpoch(TEST_EPOCH);
    await settleUntilIdle(context);
    clock.now = afterEpoch(TEST_EPOCH + 1);
    await settleUntilIdle(context);
    const paid = await json(await call('GET', `/epochs/${TEST_EPOCH}`));
    expect(paid).toMatchObject({ status: 'paid', built: true, total: '40' });
    expect(paid.payouts).toEqual(table.payouts);
    expect((await json(await call('GET', `/epochs/${TEST_EPOCH}/dry-run`))).payouts).toEqual(
      table.payouts,
    );
    expect(await world.balanceOf(world.accountOf(a))).toBe('30');

    const first = await json(await call('GET', '/epochs?limit=1'));
    expect(first.epochs.map((epoch: { epoch: number }) => epoch.epoch)).toEqual([TEST_EPOCH + 1]);
    expect(first.epochs[0].status).toBe('skipped_empty');
    const second = await json(await call('GET', `/epochs?limit=1&cursor=${first.next_cursor}`));
    expect(second.epochs.map((epoch: { epoch: number }) => epoch.epoch)).toEqual([TEST_EPOCH]);
  });

  it('holds and releases an epoch for performance:admin only', async () => {
    await world.reset();
    clock.now = new Date(inEpoch(TEST_EPOCH + 20, 10));
    const { call } = epochApi();
    const epoch = TEST_EPOCH + 21;
    const refused = await call('POST', `/epochs/${epoch}/hold`);
    expect(refused.status).toBe(403);
    expect(await json(await call('GET', '/epochs'))).toMatchObject({ epochs: [] });

    const held = await call('POST', `/epochs/${epoch}/hold`, ADMIN);
    expect(held.status).toBe(200);
    expect(await json(held)).toMatchObject({
      epoch,
      status: 'held',
      built: false,
      held: { by: 'ada' },
    });
    expect((await json(await call('GET', `/epochs/${epoch}`))).status).toBe('held');
    const released = await call('POST', `/epochs/${epoch}/release`, ADMIN);
    expect(await json(released)).toMatchObject({ status: 'pending', held: null });
    const again = await call('POST', `/epochs/${epoch}/release`, ADMIN);
    expect(again.status).toBe(409);
    expect((await json(again)).errors).toEqual([{ field: 'n', reason: 'epoch is pending' }]);
  });

  it('answers 422 naming the field for a bad epoch number, cursor or limit', async () => {
    const { call } = epochApi();
    for (const [path, field] of [
      ['/epochs/abc', 'n'],
      ['/epochs/-1', 'n'],
      ['/epochs/1.5/dry-run', 'n'],
      ['/epochs/latest/dry-run', 'n'],
      ['/epochs?cursor=x', 'cursor'],
      ['/epochs?limit=0', 'limit'],
    ] as const) {
      const response = await call('GET', path);
      expect(response.status, path).toBe(422);
      expect((await json(response)).errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const hold = await call('POST', '/epochs/x/hold', ADMIN);
    expect(hold.status).toBe(422);
  });
});
