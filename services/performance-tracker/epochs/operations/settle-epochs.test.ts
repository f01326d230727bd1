import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { testServiceKeys } from '../../../../test/harness/jwt.js';
import { findFreePort } from '../../../../tools/local-servers/index.js';
import { createServiceClients } from '../../../clients.js';
import { runRecord } from '../../testing/run-records.js';
import { epochSpan } from '../domain/epoch-clock.js';
import { createEpochMetrics } from '../epoch-metrics.js';
import { findEpoch, payoutLines } from '../repository/epoch-store.js';
import {
  afterEpoch,
  inEpoch,
  TEST_EPOCH,
  TEST_HOURS,
  useEpochWorld,
} from '../testing/epoch-world.js';
import { settleOnce, settleUntilIdle } from '../testing/settle.js';
import { holdEpochFor, releaseEpochFor } from './hold-epoch.js';
import { epochDistributionId } from './payout-table.js';
import { governorRewardLedger } from './reward-ledger.js';

const world = useEpochWorld('settle');

// The ledger outlives the tracker's tables between tests: each test pays epochs of its own, so
// their distribution ids differ.
let lastEpoch = TEST_EPOCH;
const nextEpoch = () => {
  lastEpoch += 10;
  return lastEpoch;
};

/** `successes` and `failures` runs of `agent` inside `epoch`. */
const runs = (agent: string, successes: number, failures: number, epoch: number) => [
  ...Array.from({ length: successes }, (_, i) =>
    runRecord(agent, { outcome: 'succeeded', finished_at: inEpoch(epoch, i % 60) }),
  ),
  ...Array.from({ length: failures }, (_, i) =>
    runRecord(agent, { outcome: 'failed', finished_at: inEpoch(epoch, i % 60) }),
  ),
];

/** The tracker's governor client toward a free port where nothing listens. */
const unreachableGovernor = async () =>
  createServiceClients({
    service: 'performance-tracker',
    config: {
      ECONOMIC_GOVERNOR_URL: `http://127.0.0.1:${await findFreePort()}`,
      SERVICE_SIGNING_KEY: testServiceKeys['performance-tracker'],
    },
    policy: { timeoutMs: 200 },
  })['economic-governor'];

async function freshWorld(poolAia: string) {
  await world.reset();
  await world.drainPool();
  if (poolAia !== '0') await world.fundPool(poolAia);
}

describe('paying an epoch', () => {
  it('pays an ended epoch once, as one distribution named by the epoch, and the books balance', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    const [strong, weak] = [await world.agent(), await world.agent()];
    const unknown = world.stranger();
    await world.ingest([
      ...runs(strong, 20, 0, epoch),
      ...runs(weak, 4, 4, epoch),
      ...runs(unknown, 20, 0, epoch),
      // Outside the epoch: counted in neither.
      runRecord(weak, { outcome: 'succeeded', finished_at: inEpoch(epoch - 1, 59) }),
      runRecord(weak, { outcome: 'succeeded', finished_at: inEpoch(epoch + 1, 0) }),
    ]);
    const context = world.context({ budget: '100', at: afterEpoch(epoch) });
    await settleUntilIdle(context);
    await settleUntilIdle(context);

    const row = await findEpoch(world.sql, epoch);
    expect(row).toMatchObject({
      status: 'paid',
      distributionId: epochDistributionId(epoch, 0),
    });
    expect(row?.startsAt).toEqual(epochSpan(epoch, TEST_HOURS).startsAt);
    const lines = await payoutLines(world.sql, epoch);
    const byAgent = new Map(lines.map((line) => [line.agentId, line]));
    expect(byAgent.get(weak)).toMatchObject({ runs: 8, successes: 4, failures: 4 });
    expect(byAgent.get(unknown)).toMatchObject({ accountId: null, amount: '0' });
    // The stranger's part went to the others: the whole budget is paid (bar rounding).
    const strongAmount = Number(byAgent.get(strong)?.amount);
    const weakAmount = Number(byAgent.get(weak)?.amount);
    expect(strongAmount).toBeGreaterThan(weakAmount);
    expect(strongAmount + weakAmount).toBeCloseTo(100, 9);
    expect(await world.balanceOf(world.accountOf(strong))).toBe(byAgent.get(strong)?.amount);
    expect(await world.balanceOf(world.accountOf(weak))).toBe(byAgent.get(weak)?.amount);
    expect(await world.distributionsOf(row?.distributionId as string)).toHaveLength(1);
    expect(Number((await world.treasurer.account(world.poolId)).balance)).toBeCloseTo(900, 9);
    expect(await world.booksBalance()).toBe(true);
  });

  it('records an epoch without earners as skipped, and builds the epochs after it in turn', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    const agent = await world.agent();
    await world.ingest([...runs(agent, 0, 3, epoch), ...runs(agent, 3, 0, epoch + 2)]);
    const registry = new Registry();
    const metrics = createEpochMetrics(registry);
    // Nobody earns in the first two epochs: the ledger is not even asked.
    const noLedger = governorRewardLedger(await unreachableGovernor());
    await settleUntilIdle(world.context({ at: afterEpoch(epoch), ledger: noLedger, metrics }));
    await settleUntilIdle(world.context({ at: afterEpoch(epoch + 2), metrics }));
    for (const empty of [epoch, epoch + 1])
      expect(await findEpoch(world.sql, empty)).toMatchObject({
        status: 'skipped_empty',
        poolBalance: null,
        payable: '0',
        total: '0',
      });
    expect((await findEpoch(world.sql, epoch + 2))?.status).toBe('paid');
    expect(await world.balanceOf(world.accountOf(agent))).toBe('25');
    const counted = await registry.getSingleMetricAsString('performance_epoch_payouts_total');
    expect(counted).toContain('performance_epoch_payouts_total{outcome="skipped_empty"} 2');
    expect(counted).toContain('performance_epoch_payouts_total{outcome="paid"} 1');
    expect(counted).toContain('performance_epoch_payouts_total{outcome="refused"} 0');
    expect(await registry.getSingleMetricAsString('performance_epoch_paid_aia_total')).toContain(
      'performance_epoch_paid_aia_total 25',
    );
  });

  it('pays no more than the pool holds, and records the balance it split', async () => {
    await freshWorld('30');
    const epoch = nextEpoch();
    const [a, b] = [await world.agent(), await world.agent()];
    await world.ingest([...runs(a, 5, 0, epoch), ...runs(b, 5, 0, epoch)]);
    await settleUntilIdle(world.context({ budget: '100', at: afterEpoch(epoch) }));
    expect(await findEpoch(world.sql, epoch)).toMatchObject({
      status: 'paid',
      poolBalance: '30',
      payable: '30',
      total: '30',
    });
    expect(await world.balanceOf(world.accountOf(a))).toBe('15');
    expect((await world.treasurer.account(world.poolId)).balance).toBe('0');
  });

  it('does not pay a held epoch until it is released', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    const agent = await world.agent();
    await world.ingest(runs(agent, 5, 0, epoch));
    const during = world.context({ at: new Date(inEpoch(epoch, 30)) });
    expect(await holdEpochFor(during, epoch, 'ada')).toMatchObject({
      status: 'held',
      heldBy: 'ada',
      builtAt: null,
    });
    const after = world.context({ at: afterEpoch(epoch) });
    await settleUntilIdle(after);
    await settleUntilIdle(after);
    const held = await findEpoch(world.sql, epoch);
    expect(held).toMatchObject({ status: 'held', total: '25' });
    expect(held?.builtAt).not.toBeNull();
    expect(await world.balanceOf(world.accountOf(agent))).toBe('0');
    expect(await world.distributionsOf(held?.distributionId as string)).toHaveLength(0);

    expect((await releaseEpochFor(after, epoch)).status).toBe('pending');
    await settleUntilIdle(after);
    expect((await findEpoch(world.sql, epoch))?.status).toBe('paid');
    expect(await world.balanceOf(world.accountOf(agent))).toBe('25');
  });

  it('skips a held epoch that pays nothing once released, instead of sending an empty distribution', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    await world.ingest(runs(await world.agent(), 0, 4, epoch));
    await holdEpochFor(world.context({ at: new Date(inEpoch(epoch, 5)) }), epoch, 'ada');
    const after = world.context({ at: afterEpoch(epoch) });
    await settleUntilIdle(after);
    expect(await findEpoch(world.sql, epoch)).toMatchObject({ status: 'held', total: '0' });
    expect((await releaseEpochFor(after, epoch)).status).toBe('skipped_empty');
    await settleUntilIdle(after);
    expect(await findEpoch(world.sql, epoch)).toMatchObject({
      status: 'skipped_empty',
      attempts: 0,
    });
  });

  it('refuses, before the first payout, to hold an epoch before it, which would then be paid', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    const agent = await world.agent();
    await world.ingest([...runs(agent, 5, 0, epoch - 3), ...runs(agent, 5, 0, epoch)]);
    const now = world.context({ at: afterEpoch(epoch) });
    await expect(holdEpochFor(now, epoch - 3, 'ada')).rejects.toMatchObject({
      status: 409,
      code: 'epoch_not_holdable',
      extensions: { errors: [{ field: 'n', reason: `must be ${epoch} or later` }] },
    });
    expect(await findEpoch(world.sql, epoch - 3)).toBeUndefined();
    // The first payout's own epoch can be held, and is built but not paid.
    expect((await holdEpochFor(now, epoch, 'ada')).status).toBe('held');
    await settleUntilIdle(now);
    expect(await findEpoch(world.sql, epoch - 3)).toBeUndefined();
    expect(await findEpoch(world.sql, epoch)).toMatchObject({ status: 'held', total: '25' });
    expect(await world.balanceOf(world.accountOf(agent))).toBe('0');
  });

  it('refuses to hold a paid epoch, and to release one that is not held', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    await world.ingest(runs(await world.agent(), 5, 0, epoch));
    const after = world.context({ at: afterEpoch(epoch) });
    await settleUntilIdle(after);
    await expect(holdEpochFor(after, epoch, 'ada')).rejects.toMatchObject({
      status: 409,
      code: 'epoch_not_holdable',
    });
    await expect(releaseEpochFor(after, epoch)).rejects.toMatchObject({ status: 409 });
    await expect(releaseEpochFor(after, epoch + 5)).rejects.toMatchObject({ status: 404 });
    await expect(holdEpochFor(after, epoch - 3, 'ada')).rejects.toMatchObject({ status: 404 });
  });

  it('records a ledger refusal with its reason, and pays the rebuilt table once released', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    const agent = await world.agent();
    await world.ingest(runs(agent, 5, 0, epoch));
    const after = world.context({ at: afterEpoch(epoch) });
    expect(await settleOnce(after)).toBe('more');
    expect((await findEpoch(world.sql, epoch))?.status).toBe('pending');
    await world.drainPool();
    await settleUntilIdle(after);
    const refused = await findEpoch(world.sql, epoch);
    expect(refused).toMatchObject({ status: 'refused', refusalCode: 'exceeds_credits' });
    expect(refused?.refusalDetail).toContain('no reward was paid');

    await world.fundPool('40');
    expect((await releaseEpochFor(after, epoch)).revision).toBe(1);
    await settleUntilIdle(after);
    expect(await findEpoch(world.sql, epoch)).toMatchObject({
      status: 'paid',
      revision: 1,
      distributionId: epochDistributionId(epoch, 1),
      total: '25',
    });
    expect(await world.balanceOf(world.accountOf(agent))).toBe('25');
    expect(await world.booksBalance()).toBe(true);
  });

  it('keeps an epoch pending while the ledger does not answer, and pays it on a later pass', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    const agent = await world.agent();
    await world.ingest(runs(agent, 5, 0, epoch));
    const after = world.context({ at: afterEpoch(epoch) });
    expect(await settleOnce(after)).toBe('more');
    await settleOnce({ ...after, ledger: governorRewardLedger(await unreachableGovernor()) });
    expect(await findEpoch(world.sql, epoch)).toMatchObject({
      status: 'pending',
      attempts: 1,
    });
    expect((await findEpoch(world.sql, epoch))?.lastError).toMatch(/unavailable/);
    await settleUntilIdle(after);
    expect((await findEpoch(world.sql, epoch))?.status).toBe('paid');
    expect(await world.balanceOf(world.accountOf(agent))).toBe('25');
  });

  it('pays once when two replicas run the payer at the same moment', async () => {
    await freshWorld('1000');
    const epoch = nextEpoch();
    const agent = await world.agent();
    await world.ingest(runs(agent, 5, 0, epoch));
    const after = world.context({ at: afterEpoch(epoch) });
    await settleOnce(after);
    await Promise.all([settleUntilIdle(after), settleUntilIdle(after), settleUntilIdle(after)]);
    const row = await findEpoch(world.sql, epoch);
    expect(row?.status).toBe('paid');
    expect(row?.attempts).toBe(1);
    expect(await world.distributionsOf(row?.distributionId as string)).toHaveLength(1);
    expect(await world.balanceOf(world.accountOf(agent))).toBe('25');
  });
});
