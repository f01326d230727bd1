import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ofType,
  type RecordedResource,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { fullyQualified } from './dns-records.js';

describe('DnsRecords (mocks)', () => {
  let recorded: RecordedResource[];

  beforeAll(async () => {
    recorded = await startMockStack('production', () => ({}));
    const { DnsRecords } = await import('./dns-records.js');
    new DnsRecords('aia-production-dns', {
      project: 'aia-platform-production',
      managedZone: 'aia-platform-dev',
      records: {
        api: { host: 'api.aia-platform.dev', address: pulumi.output('203.0.113.10') },
        grafana: { host: 'grafana.aia-platform.dev', address: '203.0.113.11' },
      },
    });
    await pulumi.runtime.disconnect();
  });

  it('points each public host at its load balancer address in the managed zone', () => {
    // Registration order follows when each address resolves: compare by name.
    const records = ofType(recorded, 'gcp:dns/recordSet:RecordSet').sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    expect(records.map(({ name }) => name)).toEqual([
      'aia-production-dns-api',
      'aia-production-dns-grafana',
    ]);
    expect(records.map(({ plain }) => plain)).toEqual([
      {
        project: 'aia-platform-production',
        managedZone: 'aia-platform-dev',
        name: 'api.aia-platform.dev.',
        type: 'A',
        ttl: 300,
        rrdatas: ['203.0.113.10'],
      },
      {
        project: 'aia-platform-production',
        managedZone: 'aia-platform-dev',
        name: 'grafana.aia-platform.dev.',
        type: 'A',
        ttl: 300,
        rrdatas: ['203.0.113.11'],
      },
    ]);
  });

  it('writes host names fully qualified, once', () => {
    expect(fullyQualified('api.aia-platform.dev')).toBe('api.aia-platform.dev.');
    expect(fullyQualified('api.aia-platform.dev.')).toBe('api.aia-platform.dev.');
  });
});
