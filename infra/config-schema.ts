import { z } from 'zod';
import { FEATURE_FLAGS, STACKS, serviceDefinition, serviceNames } from '../services/catalog.js';
import { exportWindowProblems } from './components/cloudsql/export-window.js';
import { instanceNames } from './components/cloudsql/instance-names.js';
import {
  type BackupLocation,
  backupLocation,
  isSingleRegion,
} from './components/object-storage/backup-location.js';
import { issuerPublicKeyProblem } from './components/token-issuer/public-keys.js';
import {
  cidrSchema as cidr,
  overlappingPairs,
  privateCidrSchema as privateCidr,
} from './config-cidr.js';
import { llmSchema } from './llm/settings.js';
import { DEFAULT_MAINTENANCE_WINDOW, WEEKDAYS } from './maintenance/window.js';

/**
 * The stack configuration, validated as a whole when the program starts. Keys are the Pulumi
 * config keys of the `aia-platform` namespace (plus `gcp:project` and `gcp:region`); structured
 * keys hold objects in `Pulumi.<stack>.yaml`. Defaults are the secure choice: anything less safe
 * must be written in the stack file.
 */

/** The network's own ranges, which must not overlap one another. */
const RANGE_FIELDS = [
  'subnetCidr',
  'podsCidr',
  'servicesCidr',
  'masterCidr',
  'privateServicesCidr',
] as const;

const hour = z.number().int().min(0).max(23);

export const networkSchema = z
  .strictObject({
    /** Primary range of the subnet the nodes live in. */
    subnetCidr: privateCidr,
    /** Secondary range for pod IPs (VPC-native cluster). */
    podsCidr: privateCidr,
    /** Secondary range for Service cluster IPs. */
    servicesCidr: privateCidr,
    /** /28 for the GKE control plane's private endpoint. */
    masterCidr: privateCidr.refine(
      (range) => range.endsWith('/28'),
      'the control plane range must be a /28',
    ),
    /** Range reserved for private services access (Cloud SQL, Memorystore); /16 to /24. */
    privateServicesCidr: privateCidr,
    /**
     * Internal networks allowed on the control plane's private IP endpoint: name → RFC 1918 CIDR.
     * People and CI outside the VPC use the DNS endpoint with IAM (docs/control-plane-access.md).
     */
    masterAuthorizedNetworks: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case name'), cidr)
      .refine((networks) => !Object.values(networks).includes('0.0.0.0/0'), {
        message:
          '0.0.0.0/0 would open the control plane to the internet; list the networks that need it',
      })
      .superRefine((networks, ctx) => {
        for (const [name, range] of Object.entries(networks)) {
          // Unparseable ranges and 0.0.0.0/0 have their own messages above.
          if (range === '0.0.0.0/0' || privateCidr.safeParse(range).success) continue;
          if (!cidr.safeParse(range).success) continue;
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: /^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(range)
              ? `${range} is a documentation range (RFC 5737) no real client has: remove it; people and CI reach the cluster through its DNS endpoint with IAM (docs/control-plane-access.md)`
              : `${range} is public, but the control plane's IP endpoint is private: list RFC 1918 ranges only; people and CI reach the cluster through its DNS endpoint with IAM (docs/control-plane-access.md)`,
          });
        }
      }),
  })
  // The subnet, its secondary ranges, the control plane's and the private services' ranges share
  // one VPC: Google refuses an overlap only when it creates the second range. Checked even when
  // another field failed, so one run lists every problem.
  .superRefine(
    (network, ctx) => {
      const ranges: Record<string, string> = {};
      for (const field of RANGE_FIELDS) {
        const value = (network as Partial<Record<string, unknown>>)?.[field];
        if (typeof value === 'string') ranges[field] = value;
      }
      for (const [a, b] of overlappingPairs(ranges)) {
        ctx.addIssue({
          code: 'custom',
          path: [b],
          message: `${ranges[b]} overlaps ${a} (${ranges[a]}): the VPC's ranges must not share addresses; pick a free range`,
        });
      }
    },
    { when: () => true },
  );

export const nodePoolSchema = z.strictObject({
  machineType: z
    .string()
    .regex(/^[a-z0-9]+-[a-z0-9]+(-\d+)?$/, 'expected a machine type such as e2-standard-4'),
  /** Per zone. */
  minNodes: z.number().int().min(0),
  /** Per zone. */
  maxNodes: z.number().int().min(1),
  diskSizeGb: z.number().int().min(20).default(100),
  diskType: z.enum(['pd-standard', 'pd-balanced', 'pd-ssd']).default('pd-balanced'),
  /** Spot VMs: cheaper, can be reclaimed at any time. */
  spot: z.boolean().default(false),
});

export const clusterSchema = z.strictObject({
  /** Regional control plane and nodes in every zone; zonal (first zone) otherwise. */
  regional: z.boolean().default(true),
  releaseChannel: z.enum(['RAPID', 'REGULAR', 'STABLE']).default('REGULAR'),
  /** Enforce Binary Authorization (the project's policy) on deployed images. */
  binaryAuthorization: z.boolean().default(true),
  deletionProtection: z.boolean().default(true),
  /** Node pools keyed by a stable name, so adding one renames none. */
  nodePools: z.record(
    z.string().regex(/^[a-z][a-z0-9-]{0,20}$/, 'expected a short lower-case name'),
    nodePoolSchema,
  ),
});

export const cloudSqlSchema = z.strictObject({
  // Only 15 until the IAM grant script (components/cloudsql/iam-grants.ts) is proven on 16: from
  // PostgreSQL 16 a CREATEROLE role may grant only roles it holds with ADMIN OPTION.
  databaseVersion: z
    .enum(['POSTGRES_15'], {
      error: 'must be POSTGRES_15: the IAM database-user grant script is proven on 15 only',
    })
    .default('POSTGRES_15'),
  tier: z.string().regex(/^db-[a-z0-9-]+$/, 'expected a Cloud SQL tier such as db-custom-2-7680'),
  /**
   * The `max_connections` flag of the primary and its replicas; default: sized to the tier (a
   * third of its memory at 10 MiB a connection). The policy pack checks every service's pools at
   * full scale-out against it (docs/connections.md).
   */
  maxConnections: z.number().int().min(25).max(10_000).optional(),
  availability: z.enum(['ZONAL', 'REGIONAL']).default('REGIONAL'),
  diskSizeGb: z.number().int().min(10),
  backupRetentionDays: z.number().int().min(1).max(365).default(14),
  /** Days of write-ahead log kept for point-in-time recovery (1–7). */
  pointInTimeRecoveryDays: z.number().int().min(1).max(7).default(7),
  readReplica: z.boolean().default(true),
  /**
   * A cross-region read replica, `<prefix>-postgres-dr-<region>`, to promote when the primary's
   * region is lost (docs/runbooks/incidents/lost-region.md). Unset (the default): none.
   */
  disasterRecovery: z
    .strictObject({
      region: z
        .string()
        .regex(/^[a-z]+-[a-z]+\d$/, 'expected a Google Cloud region such as us-east1'),
      /**
       * true once the replica has been promoted (gcloud sql instances promote-replica): the
       * services connect to it instead of the primary. The runbook's repoint step; default false.
       */
      promoted: z.boolean().default(false),
    })
    .optional(),
  /**
   * Adopt an existing instance as the primary instead of creating `<prefix>-postgres`: this
   * stack's own promoted disaster recovery replica, after the stack moved to its region when the
   * whole region was lost (docs/runbooks/incidents/lost-region.md). The primary takes this name and
   * the program imports it, its databases, their password users, the services' IAM users and the
   * auditors' group user (Pulumi's `import` option) instead of creating them. Unset (the
   * default): the program creates its own primary.
   */
  adoptPrimary: z
    .strictObject({
      instanceName: z
        .string()
        .regex(
          /^[a-z][a-z0-9-]{0,96}[a-z0-9]$/,
          'expected a Cloud SQL instance name (lower-case letters, digits and "-", starting with a letter)',
        ),
    })
    .optional(),
  deletionProtection: z.boolean().default(true),
  /**
   * Google group of the people who run the ledger checks (the restore drill on a stack, the
   * lost-region and ledger-discrepancy runbooks): its members log in as themselves through IAM
   * and read the ledger's database, nothing else (docs/cloudsql-iam.md#auditors). Unset: nobody
   * but the services and the built-in `postgres` user can log in.
   */
  auditorsGroup: z.email({ error: 'expected the email address of a Google group' }).optional(),
  /**
   * Daily logical exports (SQL dumps) of every database to the bucket `<prefix>-sql-exports`,
   * one database every 15 minutes from `startHour` UTC (docs/restore-drill.md). Unset, the
   * latest hour from which every export ends an hour before the backup window, which opens two
   * hours before the maintenance window (export-window.ts): 21:00 for the Sunday 02:00 window.
   * The configuration refuses a start that runs into either window.
   */
  exports: z
    .strictObject({
      startHour: hour.optional(),
      /** Days an export is kept once no newer one replaces it; replaced ones stay a week. */
      retentionDays: z.number().int().min(1).max(3650).default(30),
    })
    .default({ retentionDays: 30 }),
});

export const redisSchema = z.strictObject({
  tier: z.enum(['BASIC', 'STANDARD_HA']).default('STANDARD_HA'),
  deletionProtection: z.boolean().default(true),
  memorySizeGb: z.number().int().min(1).max(300),
  version: z.enum(['REDIS_7_0', 'REDIS_7_2']).default('REDIS_7_2'),
  /** RDB snapshot period. */
  snapshotPeriod: z
    .enum(['ONE_HOUR', 'SIX_HOURS', 'TWELVE_HOURS', 'TWENTY_FOUR_HOURS'])
    .default('ONE_HOUR'),
});

/** Centralized logs in Cloud Logging (docs/logging.md). */
export const loggingSchema = z.strictObject({
  /** Days the project's `_Default` log bucket keeps entries: Cloud Logging's 30 by default. */
  retentionDays: z.number().int().min(1).max(3650).default(30),
});

/**
 * The one weekly maintenance window (docs/maintenance.md): GKE, Cloud SQL and Memorystore
 * maintain in it, Alertmanager mutes warning and info notifications during it, and an info alert
 * announces it a day ahead. Default: the seed's Sunday 02:00–04:00 UTC.
 */
export const maintenanceSchema = z
  .strictObject({
    day: z.enum(WEEKDAYS).default(DEFAULT_MAINTENANCE_WINDOW.day),
    /** Hour UTC the window opens. */
    startHour: hour.default(DEFAULT_MAINTENANCE_WINDOW.startHour),
    /** Length in hours, ending by midnight. GKE's own window is stretched to 12 h (GKE's minimum). */
    hours: z.number().int().min(1).max(24).default(DEFAULT_MAINTENANCE_WINDOW.hours),
  })
  .refine((window) => window.startHour + window.hours <= 24, {
    path: ['hours'],
    message:
      'the window must end by midnight (startHour + hours ≤ 24): Alertmanager mutes within one day',
  });

const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|Mi|Gi|Ti)?$/, 'expected a Kubernetes quantity such as 500m or 2Gi');

/** Platform workloads on the cluster: sizes per stack. */
export const workloadsSchema = z.strictObject({
  neo4j: z.strictObject({
    storageGb: z.number().int().min(10),
    cpu: quantity,
    memory: quantity,
    /** Cron schedule of the backup job (UTC). */
    backupSchedule: z.string().default('0 3 * * *'),
    backupRetentionDays: z.number().int().min(1).default(14),
  }),
  kafka: z.strictObject({
    /** KRaft brokers (each also a controller): 1 on staging, 3 in production. */
    brokers: z.number().int().min(1).max(9),
    storageGb: z.number().int().min(10),
    cpu: quantity,
    memory: quantity,
  }),
  monitoring: z.strictObject({
    /** Prometheus retention, e.g. 15d. */
    retention: z.string().regex(/^\d+[dhw]$/, 'expected a duration such as 15d'),
    prometheusStorageGb: z.number().int().min(10),
    alertmanagerReplicas: z.number().int().min(1).max(5),
    /** Fraction of traces kept by the services' sampler. */
    traceSamplingRatio: z.number().min(0).max(1),
  }),
});

/**
 * Object storage on Cloud Storage (docs/object-storage.md): how long structured reports are kept,
 * and an optional Cloud KMS key for customer-managed encryption of every bucket.
 */
export const objectStorageSchema = z.strictObject({
  /** Days a report is kept; deleted and replaced versions go a week later. */
  reportsRetentionDays: z.number().int().min(1).default(365),
  /**
   * `projects/<p>/locations/<region>/keyRings/<r>/cryptoKeys/<k>`: the buckets' default key
   * (CMEK) where `backups.kmsKeyName` is unset (the reports bucket is in the backups' location,
   * which a regional key cannot encrypt). Unset (the default): Google-managed encryption. Cloud Storage's service agent needs
   * roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.
   */
  kmsKeyName: z
    .string()
    .regex(
      /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
      'expected projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>',
    )
    .optional(),
});

/**
 * Where the backup buckets (Neo4j exports `<prefix>-neo4j-backups-<location>`, Cloud SQL's logical
 * exports `<prefix>-sql-exports-<location>`) keep their objects (docs/restore-drill.md). Unset
 * (the default): the predefined dual-region of the stack's region and
 * `cloudSql.disasterRecovery.region` when there is one (NAM4 for us-central1 and us-east1, with
 * turbo replication), else the multi-region of the stack's continent (US, EU, ASIA). A single
 * region is accepted but fails policy `gcp-storage-outside-region` in production.
 */
export const backupsSchema = z.strictObject({
  /** A dual-region (NAM4), a multi-region (US) or, with dataLocations, their multi-region. */
  location: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
      'expected a Cloud Storage location such as NAM4, US or EU',
    )
    .optional(),
  /** The two regions of a configurable dual-region inside `location` (turbo replication on). */
  dataLocations: z
    .tuple([
      z.string().regex(/^[a-z]+-[a-z]+\d$/, 'expected a Google Cloud region such as us-east4'),
      z.string().regex(/^[a-z]+-[a-z]+\d$/, 'expected a Google Cloud region such as us-east4'),
    ])
    .optional(),
  /**
   * CMEK of the backup buckets: a key in their location's multi-region (`us` for NAM4 or US).
   * Required when objectStorage.kmsKeyName is set, whose regional key cannot encrypt them.
   */
  kmsKeyName: z
    .string()
    .regex(
      /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
      'expected projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>',
    )
    .optional(),
  /**
   * Days a configuration backup (config file and exported state) can be neither deleted nor
   * overwritten, after which the bucket's lifecycle deletes it.
   */
  configRetentionDays: z
    .number({ error: 'expected a whole number of days from 1 to 3650' })
    .int({ error: 'expected a whole number of days from 1 to 3650' })
    .min(1, { error: 'expected a whole number of days from 1 to 3650' })
    .max(3650, { error: 'expected a whole number of days from 1 to 3650' })
    .default(90),
});

const email = z.email({ error: 'expected an email address' });

/**
 * People are named by the email of their PagerDuty account, looked up when the program runs (a
 * preview fails naming the key of an address PagerDuty does not know); PagerDuty compares it exactly.
 */
const pagerdutyUsers = z.array(email).min(1);

/** PagerDuty areas (one PagerDuty service each), on-call schedules and escalation. */
export const pagerdutySchema = z.strictObject({
  /** Area → description and the services whose critical alerts page it. */
  areas: z.record(
    z.string(),
    z.strictObject({
      description: z.string(),
      services: z.array(z.string()).min(1),
      schedule: z.string().optional(),
    }),
  ),
  schedules: z.record(
    z.string(),
    z.strictObject({
      timeZone: z.string(),
      layers: z
        .array(
          z.strictObject({
            name: z.string(),
            start: z.string(),
            rotationTurnLengthSeconds: z.number().int().positive(),
            users: pagerdutyUsers,
          }),
        )
        .min(1),
    }),
  ),
  escalation: z.strictObject({
    ruleDelayMinutes: z.number().int().min(1),
    schedule: z.string(),
    fallback: z.union([
      z.strictObject({ users: pagerdutyUsers }),
      z.strictObject({ schedule: z.string() }),
    ]),
  }),
});

/** The services with a PostgreSQL database: one export each. */
export const databaseOwners = () =>
  serviceNames.filter((name) => serviceDefinition(name).dataStores.includes('postgres'));

/** Where alerts go: Slack, email, a dead-man's switch, PagerDuty areas and on-call schedules. */
export const alertingSchema = z.strictObject({
  slackChannels: z.strictObject({ critical: z.string(), warning: z.string() }),
  emailTo: email,
  smtp: z.strictObject({ smarthost: z.string(), from: email, username: z.string() }),
  /** Pinged every minute while the Watchdog fires; alert when the pings stop. Not a credential. */
  deadMansSwitchUrl: z.url({ protocol: /^https$/, error: 'expected an https URL' }),
  /**
   * PagerDuty areas, schedules and escalation. Leave out for a stack without PagerDuty (a first
   * deploy, say): critical alerts then go to Slack's critical channel.
   */
  pagerduty: pagerdutySchema.optional(),
});

/**
 * Who may reach Grafana besides its own login (never its password alone): Identity-Aware Proxy
 * for a Google group, or a Cloud Armor allowlist of source ranges, or both.
 */
export const grafanaAccessSchema = z
  .strictObject({
    iap: z
      .strictObject({
        /** Google group granted roles/iap.httpsResourceAccessor on Grafana's host. */
        group: z.email({ error: 'expected the email address of a Google group' }),
        /**
         * Secret in the monitoring namespace with the OAuth client's client_id and client_secret
         * (created once with kubectl: README, Grafana access). Default grafana-iap-oauth-client.
         */
        oauthClientSecretName: z
          .string()
          .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'expected a Kubernetes Secret name')
          .optional(),
      })
      .optional(),
    /** Source ranges Cloud Armor lets through to Grafana (at most 10); everyone else gets 403. */
    allowedSources: z
      .array(
        cidr.refine((range) => !range.endsWith('/0'), {
          message: 'a /0 admits everyone: list the ranges that need Grafana',
        }),
      )
      .min(1)
      .max(10, 'at most 10 ranges: one Cloud Armor rule takes 10')
      .optional(),
  })
  .refine((access) => access.iap || access.allowedSources, {
    message:
      'Grafana would be public behind its password alone: set iap.group (Identity-Aware Proxy) or allowedSources (Cloud Armor allowlist)',
  });

/** Namespace of the services unless the stack sets `services.namespace`. */
export const DEFAULT_SERVICES_NAMESPACE = 'aia';

/** How the six services are deployed. */
export const servicesDeploymentSchema = z.strictObject({
  /** Namespace of the services. */
  namespace: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/)
    .default(DEFAULT_SERVICES_NAMESPACE),
  /**
   * Services the catalog rolls out blue-green (`rollout: 'blue-green'`, aia-api): the colour
   * their stable Service routes to; the other stays for rollback.
   */
  activeColor: z.enum(['blue', 'green']).default('blue'),
  /**
   * Image tag per colour of the blue-green services (default: imageTag). Release: set the idle
   * colour's tag, check it on its own Service, then switch activeColor; the old colour stays for
   * instant rollback.
   */
  colorImageTags: z
    .strictObject({ blue: z.string().min(1).optional(), green: z.string().min(1).optional() })
    .default({}),
  /**
   * A replica-ratio canary of the blue-green services in progress: `percent` of their traffic to
   * the idle colour (the stable Service selects both colours, each held at its share of pods).
   * Set and removed by `npm run ops -- canary` (docs/operations.md); unset, the live colour alone.
   */
  canary: z.strictObject({ percent: z.number().int().min(1).max(99) }).optional(),
  /** Requests per minute per client IP that Cloud Armor lets through to the API. */
  rateLimitPerMinute: z.number().int().min(10).default(600),
  /**
   * Browser origins allowed to call the API cross-origin (the gateway's CORS_ALLOWED_ORIGINS):
   * exact `https://host[:port]` origins, never `*`. Default none: same-origin pages and
   * non-browser clients only.
   */
  corsAllowedOrigins: z
    .array(
      z
        .url({
          protocol: /^https$/,
          error: 'expected an https origin, for example https://app.aia.example',
        })
        .refine((value) => !URL.canParse(value) || new URL(value).origin === value, {
          error: 'expected an origin only: scheme, host and port, no path or trailing slash',
        }),
    )
    .default([]),
  /**
   * The seed's five feature flags for this stack: each goes to the services that declare it in
   * the catalog; unset, a service keeps its own default. A change rolls those services' pods
   * (new environment digest), no new image.
   */
  featureFlags: z
    .strictObject(Object.fromEntries(FEATURE_FLAGS.map((flag) => [flag, z.boolean().optional()])))
    .default({}),
  /**
   * Tunables of one service for this stack (`<service>: { VARIABLE: value }`), such as a
   * performance tracker's EPOCH_REWARD_BUDGET_AIA or venture discovery's DISCOVERY_WEIGHTS: any
   * non-secret variable of its env schema the program does not set itself, checked against the
   * schema by the plan. A change rolls that service's pods.
   */
  settings: z
    .strictObject(
      Object.fromEntries(
        serviceNames.map((name) => [
          name,
          z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
        ]),
      ),
    )
    .default({}),
});

const wholeTokens = z.coerce
  .string()
  .regex(/^[1-9]\d{0,17}$/, 'expected a whole number of tokens, for example 1000000000');

/** The token ledger's economics (economic-governor). */
export const tokensSchema = z.strictObject({
  /** AIA minted into the treasury at genesis, once; later changes need a treasury mint or burn. */
  aiaInitialSupply: wholeTokens.default('1000000000'),
  /** AIA_GOV minted into its treasury at genesis. */
  aiaGovInitialSupply: wholeTokens.default('100000000'),
  /** How long staked AIA stays locked before it can be unstaked. */
  stakingLockSeconds: z.number().int().min(0).max(31_536_000).default(604_800),
});

/**
 * The token issuer's published keys besides its current signing key (which is `jwtSigningKey`,
 * secret config, or generated): public halves only, so plain config.
 */
export const tokenIssuerSchema = z.strictObject({
  /**
   * The next key before a rotation, the previous key for a token lifetime (15 minutes) after it:
   * PEM public keys or P-256 JWKs. Every service accepts tokens signed by any of them.
   */
  additionalPublicKeys: z
    .array(
      z.union([z.string(), z.record(z.string(), z.unknown())]).superRefine((key, ctx) => {
        const problem = issuerPublicKeyProblem(key);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    )
    .max(4, 'at most 4: the next key and the previous one are all a rotation needs')
    .default([]),
});

export const stackConfigSchema = z
  .strictObject({
    stack: z.enum(STACKS, { error: `stack must be one of ${STACKS.join(', ')}` }),
    project: z
      .string()
      .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'expected a Google Cloud project id'),
    region: z
      .string()
      .regex(/^[a-z]+-[a-z]+\d$/, 'expected a Google Cloud region such as us-central1'),
    /** Zones for nodes (and the zonal cluster's location: the first). */
    zones: z
      .array(z.string().regex(/^[a-z]+-[a-z]+\d-[a-z]$/, 'expected a zone such as us-central1-a'))
      .min(1),
    domain: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'expected a DNS name'),
    /** Public DNS name of Grafana. */
    grafanaDomain: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'expected a DNS name'),
    /** Identity-Aware Proxy and/or a source allowlist in front of Grafana: required. */
    grafanaAccess: grafanaAccessSchema,
    /**
     * Cloud DNS managed zone (its name, in the stack's project) that holds domain and
     * grafanaDomain: when set, the program creates their A records. Unset (the default): point
     * both names at the `edge` output addresses yourself.
     */
    dnsZone: z
      .string()
      .regex(
        /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
        'expected the name of a Cloud DNS managed zone, such as aia-platform-dev (not its DNS name)',
      )
      .optional(),
    imageRepository: z.string().min(1),
    imageTag: z
      .string()
      .refine((tag) => tag !== 'latest', 'must be an immutable tag or digest, not latest')
      .refine(
        (tag) => /^sha256:[0-9a-f]{64}$/.test(tag) || /^[\w][\w.-]{0,127}$/.test(tag),
        'expected a tag such as 1.4.2 or a digest such as sha256:<64 hex digits>',
      ),
    network: networkSchema,
    cluster: clusterSchema,
    cloudSql: cloudSqlSchema,
    redis: redisSchema,
    maintenance: maintenanceSchema.default({ ...DEFAULT_MAINTENANCE_WINDOW }),
    logging: loggingSchema.default({ retentionDays: 30 }),
    workloads: workloadsSchema,
    objectStorage: objectStorageSchema.default({ reportsRetentionDays: 365 }),
    backups: backupsSchema.default({ configRetentionDays: 90 }),
    alerting: alertingSchema,
    services: servicesDeploymentSchema.default({
      namespace: DEFAULT_SERVICES_NAMESPACE,
      activeColor: 'blue',
      colorImageTags: {},
      rateLimitPerMinute: 600,
      corsAllowedOrigins: [],
      featureFlags: {},
      settings: {},
    }),
    tokens: tokensSchema.default({
      aiaInitialSupply: '1000000000',
      aiaGovInitialSupply: '100000000',
      stakingLockSeconds: 604_800,
    }),
    tokenIssuer: tokenIssuerSchema.default({ additionalPublicKeys: [] }),
    /** The LLM services' routing and provider settings (docs/llm.md); keys are secrets apart. */
    llm: llmSchema.default({}),
  })
  .superRefine((config, ctx) => {
    for (const zone of config.zones) {
      if (!zone.startsWith(`${config.region}-`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['zones'],
          message: `${zone} is not in region ${config.region}`,
        });
      }
    }
    for (const [name, pool] of Object.entries(config.cluster.nodePools)) {
      if (pool.minNodes > pool.maxNodes) {
        ctx.addIssue({
          code: 'custom',
          path: ['cluster', 'nodePools', name, 'minNodes'],
          message: `minNodes (${pool.minNodes}) exceeds maxNodes (${pool.maxNodes})`,
        });
      }
    }
    if (config.cloudSql.disasterRecovery?.region === config.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['cloudSql', 'disasterRecovery', 'region'],
        message: `is the stack's own region (${config.region}): the disaster recovery replica must be in another region to survive losing this one`,
      });
    }
    const adopted = config.cloudSql.adoptPrimary?.instanceName;
    if (adopted !== undefined) {
      // The program's own names: its primary needs no import; its replicas cannot be the primary.
      // The disaster recovery replica's carries its region: a stack moved to the promoted
      // replica's region adopts it and names its next one after another region.
      const names = instanceNames(
        `aia-${config.stack}`,
        config.region,
        config.cloudSql.disasterRecovery?.region,
      );
      const own = [
        names.primary,
        names.read,
        ...(names.disasterRecovery ? [names.disasterRecovery] : []),
      ];
      if (own.includes(adopted)) {
        ctx.addIssue({
          code: 'custom',
          path: ['cloudSql', 'adoptPrimary', 'instanceName'],
          message: `${adopted} is a name this stack gives its own instances (${own.join(', ')}): adopt an instance the stack does not create, such as the disaster recovery replica promoted when its region was lost`,
        });
      }
      if (config.cloudSql.disasterRecovery?.promoted) {
        ctx.addIssue({
          code: 'custom',
          path: ['cloudSql', 'disasterRecovery', 'promoted'],
          message:
            'cannot be true with cloudSql.adoptPrimary: the adopted instance is the primary the services connect to',
        });
      }
    }
    for (const { path, message } of backupsProblems(config)) {
      ctx.addIssue({ code: 'custom', path, message });
    }
    const exportsStart = config.cloudSql.exports.startHour;
    if (exportsStart !== undefined) {
      for (const message of exportWindowProblems({
        startHour: exportsStart,
        databases: databaseOwners().length,
        maintenance: config.maintenance,
      })) {
        ctx.addIssue({ code: 'custom', path: ['cloudSql', 'exports', 'startHour'], message });
      }
    }
    if (config.cloudSql.backupRetentionDays <= config.cloudSql.pointInTimeRecoveryDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['cloudSql', 'backupRetentionDays'],
        message: `must exceed pointInTimeRecoveryDays (${config.cloudSql.pointInTimeRecoveryDays}): Cloud SQL keeps backups longer than the write-ahead log`,
      });
    }
    if (Object.keys(config.cluster.nodePools).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster', 'nodePools'],
        message: 'at least one node pool is required',
      });
    }
  });

/** What is wrong with the backup buckets' settings, given the rest of the stack. */
export function backupsProblems(config: {
  region: string;
  cloudSql: { disasterRecovery?: { region: string } };
  objectStorage: { kmsKeyName?: string };
  backups: z.output<typeof backupsSchema>;
}): { path: string[]; message: string }[] {
  const { backups } = config;
  if (backups.dataLocations && backups.location === undefined) {
    return [
      {
        path: ['backups', 'dataLocations'],
        message: 'needs backups.location, the multi-region holding both regions (US, EU or ASIA)',
      },
    ];
  }
  let location: BackupLocation;
  try {
    location = backupLocation({
      region: config.region,
      disasterRecoveryRegion: config.cloudSql.disasterRecovery?.region,
      location: backups.location,
      dataLocations: backups.dataLocations,
    });
  } catch (error) {
    return [{ path: ['backups', 'location'], message: (error as Error).message }];
  }
  if (
    config.objectStorage.kmsKeyName &&
    !backups.kmsKeyName &&
    !isSingleRegion(location.location)
  ) {
    return [
      {
        path: ['backups', 'kmsKeyName'],
        message: `required with objectStorage.kmsKeyName, whose regional key cannot encrypt the backup buckets in ${location.location}: set a key in the multi-region that holds them (us for NAM4 or US)`,
      },
    ];
  }
  return [];
}

export type StackConfig = z.output<typeof stackConfigSchema>;
export type NetworkConfig = StackConfig['network'];
export type ClusterConfig = StackConfig['cluster'];
export type NodePoolConfig = z.output<typeof nodePoolSchema>;
export type CloudSqlConfig = StackConfig['cloudSql'];
export type RedisConfig = StackConfig['redis'];
export type MaintenanceConfig = StackConfig['maintenance'];
export type WorkloadsConfig = StackConfig['workloads'];
export type ObjectStorageConfig = StackConfig['objectStorage'];
export type BackupsConfig = StackConfig['backups'];
export type AlertingConfig = StackConfig['alerting'];
export type ServicesDeploymentConfig = StackConfig['services'];
export type TokensConfig = StackConfig['tokens'];
export type LlmConfig = StackConfig['llm'];
export type GrafanaAccessConfig = StackConfig['grafanaAccess'];
export type PagerDutyConfig = z.output<typeof pagerdutySchema>;
