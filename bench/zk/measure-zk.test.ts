import { describe, expect, it } from 'vitest';
import { inProcessThroughput, timeEach } from './measure-zk.js';

describe('the zk benchmark measurements', () => {
  it('times each run after the warm-up, and no more', async () => {
    let calls = 0;
    const timings = await timeEach(async () => {
      calls++;
    }, 4);
    expect(calls).toBe(5);
    expect(timings.runsMs).toHaveLength(4);
    expect(timings.medianMs).toBeGreaterThanOrEqual(0);
  });

  it('runs exactly the round of verifications, never more at once than asked', async () => {
    let calls = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    const throughput = await inProcessThroughput(
      async () => {
        calls++;
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
      },
      4,
      10,
      3,
    );
    expect(calls).toBe(30);
    expect(mostInFlight).toBe(4);
    expect(throughput.concurrency).toBe(4);
    expect(throughput.perSecondRuns).toHaveLength(3);
  });
});
