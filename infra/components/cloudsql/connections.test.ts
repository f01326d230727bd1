import { describe, expect, it } from 'vitest';
import { maxConnectionsCeiling, maxConnectionsFor, validateMaxConnections } from './connections.js';
import { postgresDatabaseFlags } from './settings.js';

describe('max_connections of a Cloud SQL instance', () => {
  it('is sized to a custom tier: a third of its memory at 10 MiB a connection', () => {
    expect(maxConnectionsCeiling('db-custom-8-30720')).toBe(1024);
    expect(maxConnectionsCeiling('db-custom-2-7680')).toBe(256);
    expect(maxConnectionsFor('db-custom-8-30720', undefined)).toBe(1000);
    expect(maxConnectionsFor('db-custom-2-7680', undefined)).toBe(250);
    expect(maxConnectionsFor('db-custom-8-30720', 800)).toBe(800);
  });

  it('falls back to PostgreSQL’s default for a tier whose name states no memory', () => {
    expect(maxConnectionsCeiling('db-perf-optimized-N-8')).toBeUndefined();
    expect(maxConnectionsFor('db-perf-optimized-N-8', undefined)).toBe(100);
  });

  it('refuses more connections than the tier holds, with a sentence saying why', () => {
    expect(() => validateMaxConnections('db-custom-2-7680', 400)).toThrow(
      'maxConnections is 400: tier db-custom-2-7680 has 7680 MiB, which holds at most 256 connections',
    );
    expect(() => validateMaxConnections('db-custom-2-7680', 250)).not.toThrow();
  });

  it('is always an explicit database flag', () => {
    expect(postgresDatabaseFlags(800)).toContainEqual({ name: 'max_connections', value: '800' });
  });
});
