import { describe, expect, it } from 'vitest';
import { testJwtEnv } from '../test/harness/jwt.js';
import { catalog, FEATURE_FLAGS, STACKS, serviceDefinition, serviceNames } from './catalog.js';
import { loadConfig } from './platform/config.js';

/** The least environment each service needs locally: its secrets and data store URLs. */
const minimalEnv = {
  ...testJwtEnv,
  TREASURY_PRIVATE_KEY: 't'.repeat(32),
  ENCRYPTION_KEY: 'e'.repeat(32),
  DATABASE_URL: 'postgres://aia@127.0.0.1:5432/aia',
};

/** Parses `quantity` (`500m`, `2`, `512Mi`, `2Gi`) to millicores or bytes. */
function amount(quantity: string): number {
  const match = /^(\d+)(m|Mi|Gi)?$/.exec(quantity);
  if (!match) throw new Error(`unparseable quantity ${quantity}`);
  const unit = { m: 1, Mi: 2 ** 20, Gi: 2 ** 30 }[match[2] ?? ''] ?? 1000;
  return Number(match[1]) * unit;
}

describe('service catalog', () => {
  it('lists the six core services on distinct ports', () => {
    expect(serviceNames).toEqual([
      'aia-api',
      'economic-governor',
      'venture-discovery',
      'agent-orchestrator',
      'dkg-manager',
      'performance-tracker',
    ]);
    expect(new Set(serviceNames.map((name) => catalog[name].port)).size).toBe(6);
  });

  it('carries the seed figures for production resources', () => {
    expect(catalog['aia-api'].resources.production).toEqual({
      requests: { cpu: '1000m', memory: '2Gi' },
      limits: { cpu: '4000m', memory: '8Gi' },
    });
    expect(catalog['economic-governor'].resources.production).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2000m', memory: '4Gi' },
    });
    expect(catalog['dkg-manager'].resources.production).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '1000m', memory: '2Gi' },
    });
  });

  it.each(serviceNames)(
    '%s: requests never exceed limits, production runs at least two replicas',
    (name) => {
      const service = catalog[name];
      for (const stack of STACKS) {
        const { requests, limits } = service.resources[stack];
        expect(amount(requests.cpu)).toBeLessThanOrEqual(amount(limits.cpu));
        expect(amount(requests.memory)).toBeLessThanOrEqual(amount(limits.memory));
        const { minReplicas, maxReplicas } = service.scaling[stack];
        expect(minReplicas).toBeLessThanOrEqual(maxReplicas);
      }
      expect(service.scaling.production.minReplicas).toBeGreaterThanOrEqual(2);
    },
  );

  it.each(serviceNames)('%s: its env schema accepts a minimal local environment', (name) => {
    const config = loadConfig(name, catalog[name].env, {
      ...minimalEnv,
      PORT: String(catalog[name].port),
    });
    for (const flag of catalog[name].featureFlags)
      expect(config[flag as keyof typeof config]).toBe(true);
  });

  it('declares every seed feature flag on some service, and the flags are env fields', () => {
    const declared = new Set(serviceNames.flatMap((name) => catalog[name].featureFlags));
    expect([...declared].sort()).toEqual([...FEATURE_FLAGS].sort());
    for (const name of serviceNames) {
      for (const flag of catalog[name].featureFlags)
        expect(Object.keys(catalog[name].env.shape)).toContain(flag);
    }
  });

  it('carries the seed SLOs, thresholds and rollback triggers', () => {
    for (const name of serviceNames) {
      expect(catalog[name].slo).toEqual({ availability: 0.999, latencyP95Seconds: 0.5 });
      expect(catalog[name].rollback).toEqual({ errorRatePercent: 10, latencyP95Seconds: 5 });
      expect(catalog[name].alerts.production).toMatchObject({
        errorRatePercent: 5,
        latencyP95Seconds: 2,
        memoryPercent: 80,
        cpuPercent: 85,
      });
    }
    expect(catalog['economic-governor'].alerts.production.tokenTransactionFailurePercent).toBe(1);
    expect(catalog['agent-orchestrator'].alerts.production.agentFailurePercent).toBe(10);
  });

  it('lists exactly the data stores whose connection settings its env schema has', () => {
    const settings = {
      postgres: 'DATABASE_URL',
      redis: 'REDIS_URL',
      neo4j: 'NEO4J_URI',
      objectStorage: 'S3_BUCKET',
    } as const;
    for (const name of serviceNames) {
      const keys = Object.keys(catalog[name].env.shape);
      const connected = Object.entries(settings).filter(([, key]) => keys.includes(key));
      expect([...catalog[name].dataStores].sort(), name).toEqual(
        connected.map(([store]) => store).sort(),
      );
    }
  });

  it('names the bucket of exactly the services that use object storage', () => {
    for (const name of serviceNames) {
      const definition = serviceDefinition(name);
      expect(definition.objectStorage !== undefined, name).toBe(
        definition.dataStores.includes('objectStorage'),
      );
    }
    expect(catalog['venture-discovery'].objectStorage).toEqual({
      bucket: 'reports',
      access: 'readWrite',
    });
  });
});
