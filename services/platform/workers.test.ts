import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import postgres from 'postgres';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/index.js';
import type { Database } from './db.js';
import { createWorkers, type RunResult } from './workers.js';

const silent = pino({ level: 'silent' });
const db = useTestDatabase('workers');

const metricValue = async (registry: Registry, name: string, labels: Record<string, string>) =>
  (await registry.getSingleMetric(name)?.get())?.values.find((v) =>
    Object.entries(labels).every(([k, value]) => v.labels[k] === value),
  )?.value ?? 0;

describe('background workers', () => {
  it('runs a periodic worker until stopped; stop() waits for the run in progress', async () => {
    const registry = new Registry();
    const workers = createWorkers({ logger: silent, registry });
    let runs = 0;
    let inFlight = false;
    workers.add({
      name: 'tick',
      intervalMs: 10,
      run: async () => {
        inFlight = true;
        await sleep(30);
        runs++;
        inFlight = false;
        return 'idle' as const;
      },
    });
    workers.start();
    await sleep(150);
    await workers.stop();
    expect(inFlight).toBe(false);
    expect(runs).toBeGreaterThan(1);
    const after = runs;
    await sleep(100);
    expect(runs).toBe(after);
    expect(
      await metricValue(registry, 'background_worker_runs_total', {
        worker: 'tick',
        outcome: 'done',
      }),
    ).toBe(runs);
  });

  it('runs a leader worker on one replica at a time; the others skip', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const sql = postgres(db.url, { max: 3, onnotice: () => {} });
    const replicas = [new Registry(), new Registry(), new Registry()].map((registry) => {
      const workers = createWorkers({ logger: silent, registry });
      workers.add({
        name: 'sweep',
        intervalMs: 5,
        leader: { sql, lock: 'test:workers:sweep' },
        run: async (tx: Database) => {
          concurrent++;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await tx`select pg_sleep(0.03)`;
          concurrent--;
          runs++;
          return 'idle' as RunResult;
        },
      });
      workers.start();
      return { workers, registry };
    });
    await sleep(400);
    await Promise.all(replicas.map(({ workers }) => workers.stop()));
    await sql.end();
    expect(maxConcurrent).toBe(1);
    expect(runs).toBeGreaterThan(2);
    const skipped = await Promise.all(
      replicas.map(({ registry }) =>
        metricValue(registry, 'background_worker_runs_total', {
          worker: 'sweep',
          outcome: 'skipped',
        }),
      ),
    );
    expect(skipped.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('runs again at once after `more`, and reports degraded readiness after repeated failures', async () => {
    const workers = createWorkers({ logger: silent, registry: new Registry() });
    let batches = 3;
    let drained = 0;
    workers.add({
      name: 'drain',
      intervalMs: 60_000,
      run: async () => {
        drained++;
        return --batches > 0 ? 'more' : 'idle';
      },
    });
    let failing = true;
    workers.add({
      name: 'flaky',
      intervalMs: 5,
      failuresBeforeDegraded: 3,
      run: async () => {
        if (failing) throw new Error('store unreachable');
        return 'idle' as const;
      },
    });
    const check = workers.readiness['worker:flaky'];
    expect(check).toBeDefined();
    workers.start();
    await sleep(100);
    // Three batches back to back, without waiting the minute between runs.
    expect(drained).toBe(3);
    await expect(check?.(new AbortController().signal)).rejects.toThrow('consecutive failed runs');
    failing = false;
    await sleep(50);
    await expect(check?.(new AbortController().signal)).resolves.toBeUndefined();
    await workers.stop();
  });

  it('refuses two workers with one name', () => {
    const workers = createWorkers({ logger: silent, registry: new Registry() });
    const spec = { name: 'same', intervalMs: 10, run: async () => 'idle' as RunResult };
    workers.add(spec);
    expect(() => workers.add(spec)).toThrow('two workers are named same');
  });
});
