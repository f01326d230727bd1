import { describe, expect, it } from 'vitest';
import { type Closer, closeAll } from './shutdown.js';

const never = () => new Promise<never>(() => {});

describe('closeAll', () => {
  it('closes in order, and a failing closer does not stop the ones after it', async () => {
    const closed: string[] = [];
    const errors: string[] = [];
    const closers: Closer[] = [
      { name: 'workers', close: async () => closed.push('workers') },
      { name: 'events', close: () => Promise.reject(new Error('transport gone')) },
      { name: 'postgres', close: async () => closed.push('postgres') },
    ];
    await closeAll(closers, (name, error) => errors.push(`${name}: ${(error as Error).message}`));
    expect(closed).toEqual(['workers', 'postgres']);
    expect(errors).toEqual(['events: transport gone']);
  });

  it('with a deadline, reports a closer that never finishes and still closes the rest', async () => {
    const closed: string[] = [];
    const errors: [string, string][] = [];
    const closers: Closer[] = [
      // A job queue waiting for jobs on a database that went away.
      { name: 'module', close: never },
      { name: 'redis', close: async () => closed.push('redis') },
    ];
    await closeAll(closers, (name, error) => errors.push([name, (error as Error).message]), {
      deadlineMs: 50,
    });
    expect(errors).toEqual([
      ['module', 'module did not close within the shutdown budget; left open'],
    ]);
    // Out of budget, the next closer is still started, and finishes if it can at once.
    expect(closed).toEqual(['redis']);
  });

  it('does not report a closer that finishes in time, nor one that fails after it was left', async () => {
    const errors: string[] = [];
    let failLate: (error: Error) => void = () => {};
    const closers: Closer[] = [
      { name: 'fast', close: async () => {} },
      {
        name: 'late',
        close: () =>
          new Promise((_, reject) => {
            failLate = reject;
          }),
      },
    ];
    await closeAll(closers, (name) => errors.push(name), { deadlineMs: 20 });
    failLate(new Error('closed after the deadline'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['late']);
  });
});
