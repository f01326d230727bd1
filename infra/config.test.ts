import { describe, expect, it } from 'vitest';
import { catalog } from '../services/catalog.js';
import { testJwtEnv } from '../test/harness/jwt.js';
import { imageReference, stackConfigSchema } from './config.js';
import { closest, unknownKeyProblems } from './config-keys.js';
import { secretProblems } from './config-secrets.js';

const valid = {
  stack: 'production',
  project: 'aia-platform-production',
  region: 'us-central1',
  zones: ['us-central1-a', 'us-central1-b'],
  domain: 'api.aia-platform.dev',
  grafanaDomain: 'grafana.aia-platform.dev',
  grafanaAccess: { iap: { group: 'grafana-viewers@aia-platform.dev' } },
  imageRepository: 'us-central1-docker.pkg.dev/aia-platform-production/aia/services',
  imageTag: '0.1.0',
  network: {
    subnetCidr: '10.40.0.0/20',
    podsCidr: '10.48.0.0/14',
    servicesCidr: '10.52.0.0/20',
    masterCidr: '172.16.0.16/28',
    privateServicesCidr: '10.60.0.0/16',
    masterAuthorizedNetworks: { nodes: '10.40.0.0/20' },
  },
  cluster: { nodePools: { general: { machineType: 'n2-standard-8', minNodes: 1, maxNodes: 6 } } },
  cloudSql: { tier: 'db-custom-8-30720', diskSizeGb: 200 },
  redis: { memorySizeGb: 5 },
  workloads: {
    neo4j: { storageGb: 200, cpu: '2', memory: '8Gi' },
    kafka: { brokers: 3, storageGb: 200, cpu: '2', memory: '8Gi' },
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
              users: ['oncall@aia-platform.dev'],
            },
          ],
        },
      },
      escalation: {
        ruleDelayMinutes: 15,
        schedule: 'primary',
        fallback: { users: ['lead@aia-platform.dev'] },
      },
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
    // Left out entirely, backups still get the configuration backups' retention.
    expect(config.backups.configRetentionDays).toBe(90);
    expect(config.cluster.nodePools.general).toMatchObject({
      diskType: 'pd-balanced',
      spot: false,
    });
  });

  it('refuses SQL exports that would run into the backup window or the maintenance window', () => {
    const withExports = (startHour: number) =>
      stackConfigSchema.safeParse({
        ...valid,
        cloudSql: { ...valid.cloudSql, exports: { startHour } },
      });
    // The old default: six exports from 01:00, into the 00:00 backup and Sunday 02:00 windows.
    const refused = withExports(1);
    expect(
      refused.error?.issues
        .filter((issue) => issue.path.join('.') === 'cloudSql.exports.startHour')
        .map((issue) => issue.message),
    ).toEqual([
      expect.stringMatching(/^the 6 exports run from 01:00 .*backup window 00:00–04:00 UTC/),
      expect.stringMatching(/sunday maintenance window 02:00–04:00 UTC: start them at 21/),
    ]);
    expect(withExports(20).success).toBe(true);
    // Unset: derived from the window when the program runs (data-stores.ts).
    expect(stackConfigSchema.parse(valid).cloudSql.exports.startHour).toBeUndefined();
  });

  it('refuses to adopt an instance the stack names itself, or bad names, as its primary', () => {
    const adopt = (instanceName: string, disasterRecovery?: Record<string, unknown>) =>
      problems({
        ...valid,
        cloudSql: { ...valid.cloudSql, adoptPrimary: { instanceName }, disasterRecovery },
      });
    expect(adopt('aia-production-postgres-dr-us-east1')).toEqual([]);
    expect(adopt('Aia_Postgres')).toEqual([
      'cloudSql.adoptPrimary.instanceName: expected a Cloud SQL instance name (lower-case letters, digits and "-", starting with a letter)',
    ]);
    expect(adopt('aia-production-postgres')).toEqual([
      'cloudSql.adoptPrimary.instanceName: aia-production-postgres is a name this stack gives its own instances (aia-production-postgres, aia-production-postgres-replica-us-central1): adopt an instance the stack does not create, such as the disaster recovery replica promoted when its region was lost',
    ]);
    expect(
      adopt('aia-production-postgres-dr-us-east1', { region: 'us-east1', promoted: true }),
    ).toEqual([
      'cloudSql.adoptPrimary.instanceName: aia-production-postgres-dr-us-east1 is a name this stack gives its own instances (aia-production-postgres, aia-production-postgres-replica-us-central1, aia-production-postgres-dr-us-east1): adopt an instance the stack does not create, such as the disaster recovery replica promoted when its region was lost',
      'cloudSql.disasterRecovery.promoted: cannot be true with cloudSql.adoptPrimary: the adopted instance is the primary the services connect to',
    ]);
  });

  it("accepts a stack moved to its promoted replica's region adopting it beside a new disaster recovery replica", () => {
    // The whole-region path: production moved to us-east1 around the promoted replica, with its
    // next replica in us-central1, which Cloud SQL must be able to name apart from the adopted one.
    const moved = (adopted: string, drRegion: string) =>
      problems({
        ...valid,
        region: 'us-east1',
        zones: ['us-east1-b', 'us-east1-c'],
        cloudSql: {
          ...valid.cloudSql,
          adoptPrimary: { instanceName: adopted },
          disasterRecovery: { region: drRegion },
        },
      });
    expect(moved('aia-production-postgres-dr-us-east1', 'us-central1')).toEqual([]);
    expect(moved('aia-production-postgres-dr-us-east1', 'us-west1')).toEqual([]);
    expect(moved('aia-production-postgres-dr-us-west1', 'us-west1')).toEqual([
      'cloudSql.adoptPrimary.instanceName: aia-production-postgres-dr-us-west1 is a name this stack gives its own instances (aia-production-postgres, aia-production-postgres-replica-us-east1, aia-production-postgres-dr-us-west1): adopt an instance the stack does not create, such as the disaster recovery replica promoted when its region was lost',
    ]);
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
      'network.subnetCidr: expected a private (RFC 1918) range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
      'network.masterCidr: the control plane range must be a /28',
    ]);
  });

  it('refuses a prefix over /32, host bits set and overlapping ranges, saying what to write', () => {
    const network = (changes: Record<string, unknown>) => ({
      ...valid,
      network: { ...valid.network, ...changes },
    });
    expect(problems(network({ subnetCidr: '10.10.0.0/33' }))).toEqual([
      'network.subnetCidr: the prefix length /33 is over /32: an IPv4 range is /0 to /32',
    ]);
    expect(
      problems(network({ masterAuthorizedNetworks: { 'office-vpn': '198.51.100.0/40' } })),
    ).toEqual([
      'network.masterAuthorizedNetworks.office-vpn: the prefix length /40 is over /32: an IPv4 range is /0 to /32',
    ]);
    expect(problems(network({ subnetCidr: '10.40.0.1/20' }))).toEqual([
      'network.subnetCidr: host bits are set (the range starts at 10.40.0.0): write 10.40.0.0/20',
    ]);
    expect(problems(network({ podsCidr: '10.40.0.0/14' }))).toEqual([
      "network.podsCidr: 10.40.0.0/14 overlaps subnetCidr (10.40.0.0/20): the VPC's ranges must not share addresses; pick a free range",
    ]);
  });

  it('lists an overlap together with a bad field elsewhere, so one run shows every problem', () => {
    const config = {
      ...valid,
      network: { ...valid.network, podsCidr: '10.40.0.0/14', masterCidr: '172.16.0.0/24' },
    };
    expect(problems(config)).toEqual([
      'network.masterCidr: the control plane range must be a /28',
      "network.podsCidr: 10.40.0.0/14 overlaps subnetCidr (10.40.0.0/20): the VPC's ranges must not share addresses; pick a free range",
    ]);
  });

  it('names PagerDuty people by email and allows a stack without PagerDuty', () => {
    const { pagerduty, ...withoutPagerDuty } = valid.alerting;
    expect(problems({ ...valid, alerting: withoutPagerDuty })).toEqual([]);
    const layer = { ...pagerduty.schedules.primary.layers[0], users: ['PAIA001'] };
    const placeholder = {
      ...valid,
      alerting: {
        ...valid.alerting,
        pagerduty: { ...pagerduty, schedules: { primary: { timeZone: 'UTC', layers: [layer] } } },
      },
    };
    expect(problems(placeholder)).toEqual([
      'alerting.pagerduty.schedules.primary.layers.0.users.0: expected an email address',
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

describe('aia-platform:dnsZone', () => {
  it('is optional, and names a Cloud DNS managed zone', () => {
    expect(stackConfigSchema.parse(valid).dnsZone).toBeUndefined();
    expect(stackConfigSchema.parse({ ...valid, dnsZone: 'aia-platform-dev' }).dnsZone).toBe(
      'aia-platform-dev',
    );
  });

  it("refuses the zone's DNS name where its name belongs", () => {
    expect(problems({ ...valid, dnsZone: 'aia-platform.dev.' })).toEqual([
      'dnsZone: expected the name of a Cloud DNS managed zone, such as aia-platform-dev (not its DNS name)',
    ]);
  });
});

describe('stack configuration keys', () => {
  const known = ['imageTag', 'imageRepository', 'network', 'jwtSigningKey'];

  it('refuses a key of the namespace the program does not read, naming the one meant', () => {
    const config = {
      'aia-platform:imagetag': '0.1.0',
      'aia-platform:imageTag': '0.1.0',
      'aia-platform:colour': 'blue',
      'gcp:project': 'p',
    };
    expect(unknownKeyProblems(config, 'aia-platform', known)).toEqual([
      {
        key: 'aia-platform:colour',
        reason:
          'unknown key, ignored by the program (known keys: imageTag, imageRepository, network, jwtSigningKey): pulumi config rm aia-platform:colour',
      },
      {
        key: 'aia-platform:imagetag',
        reason:
          'unknown key, ignored by the program; did you mean aia-platform:imageTag? pulumi config rm aia-platform:imagetag, then pulumi config set aia-platform:imageTag <value>',
      },
    ]);
  });

  it('suggests a name across case, one typo or two swapped letters, and nothing for a stranger', () => {
    expect(closest('imagetag', known)).toBe('imageTag');
    expect(closest('netwrk', known)).toBe('network');
    expect(closest('teir', ['tier', 'memorySizeGb'])).toBe('tier');
    expect(closest('colour', known)).toBeUndefined();
  });
});

describe('secret stack configuration', () => {
  const settings = [
    { key: 'aia-platform:jwtSigningKey', env: 'JWT_SIGNING_KEY', generated: true },
    { key: 'pagerduty:token' },
  ];
  const strong = testJwtEnv.JWT_SIGNING_KEY;

  it('refuses a secret set in plain text, saying how to set it, without echoing it', () => {
    const found = secretProblems(settings, (key) =>
      key === 'pagerduty:token' ? { value: 'u+abcdef', secret: false } : undefined,
    );
    expect(found).toEqual([
      {
        key: 'pagerduty:token',
        reason:
          'is stored in plain text in the stack file; a secret must be encrypted: pulumi config set --secret pagerduty:token <value>',
      },
    ]);
    expect(JSON.stringify(found)).not.toContain('u+abcdef');
  });

  it('refuses a secret the services would refuse, with their own requirement', () => {
    const requirement =
      catalog['aia-api'].env.shape.JWT_SIGNING_KEY.safeParse('short').error?.issues[0]?.message;
    expect(requirement).toBeTruthy();
    const found = secretProblems(settings, (key) =>
      key === 'aia-platform:jwtSigningKey' ? { value: 'short', secret: true } : undefined,
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.key).toBe('aia-platform:jwtSigningKey');
    expect(found[0]?.reason).toMatch(
      new RegExp(
        `^${String(requirement).replace(/[()]/g, '\\$&')}, or aia-api refuses it as JWT_SIGNING_KEY at start-up: pulumi config set --secret aia-platform:jwtSigningKey <value> \\(or pulumi config rm aia-platform:jwtSigningKey to have one generated\\)$`,
      ),
    );
    expect(
      secretProblems(settings, (key) =>
        key === 'aia-platform:jwtSigningKey' ? { value: strong, secret: true } : undefined,
      ),
    ).toEqual([]);
  });
});

describe('aia-platform:network.masterAuthorizedNetworks', () => {
  it('refuses documentation and public ranges: the IP endpoint is private, the DNS endpoint is the way in', () => {
    const network = (ranges: Record<string, string>) => ({
      ...valid,
      network: { ...valid.network, masterAuthorizedNetworks: ranges },
    });
    expect(problems(network({ nodes: '10.40.0.0/20' }))).toEqual([]);
    expect(problems(network({ 'office-vpn': '198.51.100.0/24', ci: '34.100.0.0/24' }))).toEqual([
      'network.masterAuthorizedNetworks.office-vpn: 198.51.100.0/24 is a documentation range (RFC 5737) no real client has: remove it; people and CI reach the cluster through its DNS endpoint with IAM (docs/control-plane-access.md)',
      "network.masterAuthorizedNetworks.ci: 34.100.0.0/24 is public, but the control plane's IP endpoint is private: list RFC 1918 ranges only; people and CI reach the cluster through its DNS endpoint with IAM (docs/control-plane-access.md)",
    ]);
  });
});
