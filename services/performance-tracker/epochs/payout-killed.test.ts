import { afterAll, describe, expect, it } from 'vitest';
import { testServiceKeys } from '../../../test/harness/jwt.js';
import { runRecord } from '../testing/run-records.js';
import { formatAia, parseAia } from './domain/aia-units.js';
import { findEpoch, payoutLines } from './repository/epoch-store.js';
import {
  afterEpoch,
  inEpoch,
  TEST_EPOCH,
  TEST_HOURS,
  useEpochWorld,
} from './testing/epoch-world.js';
import {
  killPayoutProcess,
  killPayoutProcesses,
  startPayoutProcess,
} from './testing/payout-process.js';

const world = useEpochWorld('killed');
afterAll(killPayoutProcesses);

/** Polls `check` every 50 ms until it holds (30 s at most). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the payout worker killed with SIGKILL mid-payout', () => {
  it('pays the epoch exactly once after a restart, and the books balance', {
    timeout: 120_000,
  }, async () => {
    await world.reset();
    await world.drainPool();
    await world.fundPool('500');
    const agents = [await world.agent(), await world.agent(), await world.agent()];
    await world.ingest(
      agents.flatMap((agent, index) =>
        Array.from({ length: 3 + index * 3 }, (_, run) =>
          runRecord(agent, { outcome: 'succeeded', finished_at: inEpoch(TEST_EPOCH, run) }),
        ),
      ),
    );
    const env = {
      DATABASE_URL: world.databaseUrl,
      ECONOMIC_GOVERNOR_URL: world.governor.url,
      SERVICE_SIGNING_KEY: testServiceKeys['performance-tracker'] as string,
      AGENT_ACCOUNTS: JSON.stringify(
        Object.fromEntries(agents.map((a) => [a, world.accountOf(a)])),
      ),
      NOW: afterEpoch(TEST_EPOCH).toISOString(),
      EPOCH_HOURS: String(TEST_HOURS),
      EPOCH_REWARD_BUDGET_AIA: '120',
    };

    const first = await startPayoutProcess({ ...env, STALL_AFTER_DISTRIBUTION: '1' });
    await first.printed('distributed');
    await killPayoutProcess(first.child);

    // The ledger paid; the tracker's status update died with the process.
    const afterCrash = await findEpoch(world.sql, TEST_EPOCH);
    expect(afterCrash?.status).toBe('pending');
    const distributionId = afterCrash?.distributionId as string;
    expect(await world.distributionsOf(distributionId)).toHaveLength(1);
    const lines = await payoutLines(world.sql, TEST_EPOCH);
    const paidOnce = await Promise.all(
      agents.map((agent) => world.balanceOf(world.accountOf(agent))),
    );
    expect(paidOnce).toEqual(agents.map((agent) => lines.find((l) => l.agentId === agent)?.amount));

    const second = await startPayoutProcess(env);
    await until(async () => (await findEpoch(world.sql, TEST_EPOCH))?.status === 'paid', 'paid');
    await killPayoutProcess(second.child);

    expect(await world.distributionsOf(distributionId)).toHaveLength(1);
    expect(
      await Promise.all(agents.map((agent) => world.balanceOf(world.accountOf(agent)))),
    ).toEqual(paidOnce);
    const total = parseAia((await findEpoch(world.sql, TEST_EPOCH))?.total as string, 'total');
    expect(total).toBeGreaterThan(parseAia('119.99999', 'near the budget'));
    expect((await world.treasurer.account(world.poolId)).balance).toBe(
      formatAia(parseAia('500', 'funded') - total),
    );
    expect(await world.booksBalance()).toBe(true);
  });
});
