import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresGraphStore } from '../../services/dkg-manager/graph/postgres/postgres-graph-store.js';
import { createDatabase, type Database } from '../../services/platform/db.js';
import { useTestDatabase } from '../../test/harness/databases.js';
import { nodesPerDomain } from './graph-shape.js';
import { type GraphMeasurements, measureGraph, type QuerySettings } from './measure-graph.js';
import { type DkgBenchResult, formatReport } from './report.js';
import { TINY_SHAPE } from './tiny-shape.js';

const QUERIES: QuerySettings = {
  rankings: 20,
  rankLimit: 5,
  neighbourhoods: 10,
  hops: 3,
  paths: 12,
  maxHops: 4,
  warmup: 2,
};

const database = useTestDatabase('dkg_bench_smoke');
let storeSql: Database;
let directSql: Database;
let measured: GraphMeasurements;
beforeAll(async () => {
  const url = database.url;
  storeSql = createDatabase({ url, applicationName: 'dkg-bench-smoke-adapter', max: 2 });
  directSql = createDatabase({ url, applicationName: 'dkg-bench-smoke-direct', max: 2 });
  const store = postgresGraphStore(storeSql);
  await store.migrate();
  measured = await measureGraph({
    store,
    sql: directSql,
    shape: TINY_SHAPE,
    seed: 11,
    queries: QUERIES,
  });
});
afterAll(async () => {
  await storeSql?.end();
  await directSql?.end();
});

describe('npm run bench -- dkg, on a tiny graph', () => {
  it('imports every generated node and edge and reports the rates', () => {
    const { import: imported } = measured;
    expect(imported.nodes).toBe(TINY_SHAPE.domains * nodesPerDomain(TINY_SHAPE));
    expect(imported.edges).toBe(TINY_SHAPE.domains * TINY_SHAPE.edgesPerDomain);
    expect(imported.nodesPerSecond).toBeGreaterThan(0);
    expect(imported.edgesPerSecond).toBeGreaterThan(0);
    expect(imported.tableMb.edges).toBeGreaterThan(0);
  });

  it('times each query kind both ways, with the same answers both ways', () => {
    const kinds = [
      [measured.ranking, QUERIES.rankings],
      [measured.neighbourhood, QUERIES.neighbourhoods],
      [measured.path, QUERIES.paths],
    ] as const;
    for (const [comparison, queries] of kinds) {
      expect(comparison.queries).toBe(queries);
      expect(comparison.warmup).toBe(QUERIES.warmup);
      expect(comparison.mismatches).toBe(0);
      for (const way of [comparison.adapter, comparison.direct]) {
        expect(way.p50Ms).toBeGreaterThan(0);
        expect(way.p99Ms).toBeGreaterThanOrEqual(way.p50Ms);
      }
      expect(comparison.ratioPerQuery).toBeGreaterThan(0);
    }
    expect(measured.ranking.size.max).toBeLessThanOrEqual(QUERIES.rankLimit);
    const counted = Object.values(measured.path.sizeCounts ?? {}).reduce((a, b) => a + b, 0);
    expect(counted).toBe(QUERIES.paths);
  });

  it('prints a line per query kind', () => {
    const result: DkgBenchResult = {
      benchmark: 'dkg',
      measuredAt: new Date().toISOString(),
      settings: {
        seed: 11,
        shape: TINY_SHAPE,
        queries: QUERIES,
        postgresVersion: '15',
        sharedBuffers: '128MB',
        cpus: 2,
        node: process.version,
      },
      ...measured,
    };
    const report = formatReport(result);
    for (const line of ['rank agents for a skill', '3-hop neighbourhood', 'shortest path'])
      expect(report).toContain(line);
    expect(report).not.toContain('answers differed');
  });
});
