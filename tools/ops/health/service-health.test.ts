import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { kitApp } from '../../../test/harness/kit-app.js';
import { findFreePort } from '../../local-servers/index.js';
import { type HealthRow, healthExitCode, healthTable } from './health-table.js';
import { probeService } from './service-health.js';

const servers: Server[] = [];
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r)))));

/** A kit service (its real /readyz and /info) whose dependency checks pass or fail as given. */
async function kitService(
  checks: Record<string, boolean>,
  optional: string[] = [],
): Promise<string> {
  const { app } = kitApp({
    logLevel: 'silent',
    readiness: Object.fromEntries(
      Object.entries(checks).map(([name, up]) => [
        name,
        async () => {
          if (!up) throw new Error(`${name} refused the connection`);
        },
      ]),
    ),
    optionalReadiness: optional,
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('probeService', () => {
  it('reads state, version, revision and each dependency from /readyz and /info', async () => {
    const ready = await probeService(
      'test-service',
      await kitService({ postgres: true, redis: true }),
    );
    expect(ready).toMatchObject({
      state: 'ready',
      version: '1.2.3',
      revision: 'abc123',
      checks: { postgres: 'up', redis: 'up' },
    });
    const degraded = await probeService(
      'test-service',
      await kitService({ postgres: true, redis: false }, ['redis']),
    );
    expect(degraded).toMatchObject({ state: 'degraded', checks: { redis: 'down' } });
    const down = await probeService('test-service', await kitService({ postgres: false }));
    expect(down).toMatchObject({ state: 'unavailable', checks: { postgres: 'down' } });
    expect(down.detail).toContain('postgres');
  });

  it('tells a service that is not there from another service answering at its address', async () => {
    const nobody = await probeService('test-service', `http://127.0.0.1:${await findFreePort()}`);
    expect(nobody).toMatchObject({ state: 'unreachable', detail: 'ECONNREFUSED' });
    const other = await probeService('aia-api', await kitService({}));
    expect(other).toMatchObject({ state: 'misrouted', detail: 'test-service answers here' });
  });
});

describe('healthTable', () => {
  const rows: HealthRow[] = [
    {
      service: 'aia-api',
      url: 'http://a',
      state: 'ready',
      version: '0.1.0',
      revision: '1653331abcdef0123',
      checks: {
        postgres: 'up' as const,
        redis: 'up' as const,
        'worker:audit-retry': 'up' as const,
      },
      budgetLeft: 0.9731,
    },
    {
      service: 'economic-governor',
      url: 'http://g',
      state: 'unavailable',
      checks: { postgres: 'down', redis: 'up' },
      detail: 'not ready: postgres (timeout)',
    },
  ];

  it('shows one line per service and one per dependency, and exits 1 for a service not ready', () => {
    const table = healthTable(rows);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^SERVICE\s+STATE\s+VERSION\s+REVISION\s+DOWN\s+BUDGET LEFT\s+DETAIL$/,
    );
    expect(lines[1]).toMatch(/^aia-api\s+ready\s+0\.1\.0\s+1653331abcde\s+—\s+97\.3 %$/);
    expect(lines[2]).toMatch(
      /^economic-governor\s+unavailable\s+—\s+—\s+postgres\s+—\s+not ready: postgres \(timeout\)$/,
    );
    // Workers are the services' own, not dependencies.
    expect(table).toMatch(/\npostgres\s+1\s+1\nredis\s+2\s+0\n/);
    expect(table).not.toContain('worker:');
    expect(healthExitCode(rows)).toBe(1);
    expect(healthExitCode(rows.slice(0, 1))).toBe(0);
  });
});
