import { describe, expect, it } from 'vitest';
import { imageReference, stackConfigSchema } from './config.js';

const valid = {
  stack: 'production',
  project: 'aia-platform-production',
  region: 'us-central1',
  zones: ['us-central1-a', 'us-central1-b'],
  domain: 'api.aia-platform.dev',
  grafanaDomain: 'grafana.aia-platform.dev',
  imageRepository: 'us-central1-docker.pkg.dev/aia-platform-production/aia/services',
  imageTag: '0.1.0',
  network: {
    subnetCidr: '10.40.0.0/20',
    podsCidr: '10.48.0.0/14',
    servicesCidr: '10.52.0.0/20',
    masterCidr: '172.16.0.16/28',
    privateServicesCidr: '10.60.0.0/16',
    masterAuthorizedNetworks: { 'office-vpn': '198.51.100.0/24' },
  },
  cluster: { nodePools: { general: { machineType: 'n2-standard-8', minNodes: 1, maxNodes: 6 } } },
  cloudSql: { tier: 'db-custom-8-30720', diskSizeGb: 200 },
  redis: { memorySizeGb: 5 },
  workloads: {
    neo4j: { storageGb: 200, cpu: '2', memory: '8Gi' },
    kafka: { brokers: 3, storageGb: 200, cpu: '2', memory: '8Gi' },
    minio: { servers: 4, volumesPerServer: 4, storageGbPerVolume: 100 },
    monitoring: {
      retention: '30d',
      prometheusStorageGb: 200,
      alertmanagerReplicas: 3,
      traceSamplingRatio: 0.1,
    },
  },
  alerting: {
    slackChannels: { critical: '#aia-incidents', warning: '#aia-alerts' },
    emailTo: 'platform-team@aia-platform.dev',
    smtp: {
      smarthost: 'smtp.aia-platform.dev:587',
      from: 'alerts@aia-platform.dev',
      username: 'alerts',
    },
    deadMansSwitchUrl: 'https://hc-ping.com/aia-watchdog',
    pagerduty: {
      areas: { platform: { description: 'everything', services: ['aia-api'] } },
      schedules: {
        primary: {
          timeZone: 'UTC',
          layers: [
            {
              name: 'weekly',
              start: '2026-01-05T09:00:00Z',
              rotationTurnLengthSeconds: 604800,
              users: ['P1'],
            },
          ],
        },
      },
      escalation: { ruleDelayMinutes: 15, schedule: 'primary', fallback: { users: ['P2'] } },
    },
  },
};

/** The messages of a config that fails validation, as `path: message`. */
function problems(config: unknown): string[] {
  const result = stackConfigSchema.safeParse(config);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('stack configuration', () => {
  it('fills secure defaults for what a stack leaves out', () => {
    const config = stackConfigSchema.parse(valid);
    expect(config.cluster).toMatchObject({
      regional: true,
      binaryAuthorization: true,
      deletionProtection: true,
    });
    expect(config.cloudSql).toMatchObject({
      availability: 'REGIONAL',
      readReplica: true,
      deletionProtection: true,
    });
    expect(config.redis.tier).toBe('STANDARD_HA');
    expect(config.cluster.nodePools.general).toMatchObject({
      diskType: 'pd-balanced',
      spot: false,
    });
  });

  it('refuses 0.0.0.0/0 as a master authorized network and says why', () => {
    const config = {
      ...valid,
      network: { ...valid.network, masterAuthorizedNetworks: { anyone: '0.0.0.0/0' } },
    };
    expect(problems(config)).toEqual([
      'network.masterAuthorizedNetworks: 0.0.0.0/0 would open the control plane to the internet; list the networks that need it',
    ]);
  });

  it('refuses public ranges for private networks and a control plane range that is not a /28', () => {
    const config = {
      ...valid,
      network: { ...valid.network, subnetCidr: '8.8.8.0/24', masterCidr: '172.16.0.0/24' },
    };
    expect(problems(config)).toEqual([
      'network.subnetCidr: expected a private (RFC 1918) range',
      'network.masterCidr: the control plane range must be a /28',
    ]);
  });

  it('refuses zones outside the region and node pools whose minimum exceeds the maximum', () => {
    const config = {
      ...valid,
      zones: ['europe-west1-b'],
      cluster: {
        nodePools: { general: { machineType: 'e2-standard-4', minNodes: 5, maxNodes: 2 } },
      },
    };
    expect(problems(config)).toEqual([
      'zones: europe-west1-b is not in region us-central1',
      'cluster.nodePools.general.minNodes: minNodes (5) exceeds maxNodes (2)',
    ]);
  });

  it('refuses unknown keys, so a typo is not silently ignored', () => {
    expect(problems({ ...valid, redis: { memorySizeGb: 5, teir: 'BASIC' } })).toEqual([
      'redis: Unrecognized key: "teir"',
    ]);
  });

  it('refuses a mutable image tag', () => {
    expect(problems({ ...valid, imageTag: 'latest' })).toContain(
      'imageTag: must be an immutable tag or digest, not latest',
    );
  });

  it('pins the image by digest with @ and by tag with :', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(imageReference({ imageRepository: 'r', imageTag: digest })).toBe(`r@${digest}`);
    expect(imageReference({ imageRepository: 'r', imageTag: '0.1.0' })).toBe('r:0.1.0');
  });
});
