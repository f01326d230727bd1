import { describe, expect, it } from 'vitest';
import type { ClosedLoopResult } from '../ledger/load-generator.js';
import {
  cpuMsPerRequest,
  latencySummary,
  layerCost,
  type PathRun,
  pathFigures,
  processUsage,
} from './figures.js';

const run = (perSecond: number, p50Ms: number, p99Ms: number, errors = 0): ClosedLoopResult => ({
  clients: 8,
  seconds: 5,
  succeeded: perSecond * 5,
  errors,
  perSecond,
  p50Ms,
  p99Ms,
});

const share = (service: number, machine = 2) => ({
  machine,
  postgres: 0.1,
  client: 0.2,
  service,
  other: 0,
});

describe('latencySummary', () => {
  it('gives nearest-rank percentiles of unsorted latencies without reordering them', () => {
    const latencies = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const summary = latencySummary(latencies);
    expect(summary).toEqual({ count: 1000, p50Ms: 500, p99Ms: 990, p999Ms: 999, maxMs: 1000 });
    expect(latencies[0]).toBe(1000);
  });

  it('reports NaN figures for no requests at all', () => {
    const summary = latencySummary([]);
    expect(summary.count).toBe(0);
    expect(summary.p99Ms).toBeNaN();
    expect(summary.maxMs).toBeNaN();
  });
});

describe('layerCost', () => {
  it('takes the median of the per-round ratios and added latencies, not the ratio of medians', () => {
    const withLayer = [run(500, 3, 10), run(900, 2, 9), run(100, 10, 40)];
    const without = [run(1000, 1, 5), run(1000, 1.5, 6), run(400, 2, 8)];
    const cost = layerCost(withLayer, without);
    expect(cost.throughputRatioPerRound).toEqual([0.5, 0.9, 0.25]);
    expect(cost.throughputRatio).toBe(0.5);
    expect(cost.addedP50MsPerRound).toEqual([2, 0.5, 8]);
    expect(cost.addedP50Ms).toBe(2);
    expect(cost.addedP99Ms).toBe(5);
  });

  it('refuses rounds that do not pair up', () => {
    expect(() => layerCost([run(1, 1, 1)], [run(1, 1, 1), run(1, 1, 1)])).toThrow(
      /1 with the layer against 2 without/,
    );
    expect(() => layerCost([], [])).toThrow(/at least 1/);
  });
});

describe('pathFigures', () => {
  it('gives the median round, sums the errors and keeps the first error seen', () => {
    const runs: PathRun[] = [
      { result: run(300, 4, 12, 1), cpu: { gateway: share(0.9) } },
      {
        result: { ...run(100, 9, 30, 2), firstError: 'HTTP 503: busy' },
        cpu: { gateway: share(0.5) },
      },
      { result: run(200, 5, 20), cpu: { gateway: share(0.7), raw: undefined } },
    ];
    const figures = pathFigures(runs);
    expect(figures.perSecond).toBe(200);
    expect(figures.p50Ms).toBe(5);
    expect(figures.p99Ms).toBe(20);
    expect(figures.errors).toBe(3);
    expect(figures.perSecondPerRound).toEqual([300, 100, 200]);
    expect(figures.firstError).toBe('HTTP 503: busy');
    expect(figures.cpuCores.gateway?.service).toBe(0.7);
    expect(figures.cpuCores).not.toHaveProperty('raw');
  });
});

describe('processUsage', () => {
  it('gives the mean and busiest-interval CPU, and the peaks of memory and open files', () => {
    const mib = 1024 * 1024;
    const usage = processUsage([
      { at: 0, cpuSeconds: 10, rssBytes: 100 * mib, openFiles: 40 },
      { at: 1000, cpuSeconds: 10.5, rssBytes: 180 * mib, openFiles: 1040 },
      { at: 2000, cpuSeconds: 11.7, rssBytes: 150 * mib, openFiles: 1030 },
      { at: 4000, cpuSeconds: 12, rssBytes: 160 * mib, openFiles: 900 },
    ]);
    expect(usage).toEqual({
      meanCores: 0.5,
      peakCores: 1.2,
      peakRssMiB: 180,
      lastRssMiB: 160,
      peakOpenFiles: 1040,
      samples: 4,
    });
  });

  it('needs two samples for a rate', () => {
    expect(() => processUsage([{ at: 0, cpuSeconds: 1, rssBytes: 1, openFiles: 1 }])).toThrow(
      /at least 2/,
    );
  });
});

describe('cpuMsPerRequest', () => {
  it('divides the cores a process used by the requests it served each second', () => {
    expect(cpuMsPerRequest(0.2, 400)).toBe(0.5);
    expect(cpuMsPerRequest(1.5, 3000)).toBe(0.5);
  });

  it('is NaN when CPU was not measured or nothing was served', () => {
    expect(cpuMsPerRequest(undefined, 400)).toBeNaN();
    expect(cpuMsPerRequest(0.2, 0)).toBeNaN();
  });
});
