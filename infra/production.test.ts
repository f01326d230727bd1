import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../services/catalog.js';
import { planStack, queries } from '../test/harness/plan-queries.js';
import { drillCloneName } from '../tools/drill/cloud-sql-clone.js';
import { SECRET_MARKER } from '../tools/plan/placeholders.js';
import type { Plan } from '../tools/plan/run-plan.js';
import { REDACTED } from '../tools/plan/secrets.js';
import { SERVICE_CLOUDSQL_ROLES } from './components/cloudsql/index.js';
import { apiOfResourceType, PREREQUISITE_APIS } from './components/project-services/index.js';
import { stackOutputsSchema } from './outputs.js';

let plan: Plan;
let q: ReturnType<typeof queries>;

beforeAll(async () => {
  plan = await planStack('production');
  q = queries(plan);
});

describe('production stack (offline plan)', () => {
  it('deploys each catalog service with its production figures', () => {
    for (const [name, service] of Object.entries(catalog)) {
      const deployments = q
        .ofType('kubernetes:apps/v1:Deployment')
        .map(q.inputsOf)
        .filter((d) => d.metadata.labels['app.kubernetes.io/name'] === name);
      expect(deployments.length, name).toBe(name === 'aia-api' ? 2 : 1);
      for (const deployment of deployments) {
        expect(deployment.spec.template.spec.containers[0].resources).toEqual(
          service.resources.production,
        );
      }
      const hpa = q
        .ofType('kubernetes:autoscaling/v2:HorizontalPodAutoscaler')
        .map(q.inputsOf)
        .find((h) => h.metadata.labels['app.kubernetes.io/name'] === name);
      expect(hpa?.spec.minReplicas, name).toBe(service.scaling.production.minReplicas);
    }
  });

  it('runs Kafka with three brokers in production', () => {
    const pool = q.ofType('kubernetes:kafka.strimzi.io/v1:KafkaNodePool').map(q.inputsOf)[0];
    expect(pool?.spec.replicas).toBe(3);
    expect(q.ofType('kubernetes:kafka.strimzi.io/v1:KafkaTopic').length).toBeGreaterThanOrEqual(8);
  });

  it('records the network, cluster, node pools, Cloud SQL with replica, Memorystore and secrets', () => {
    expect(plan.resources.length).toBeGreaterThan(30);
    for (const type of [
      'gcp:compute/network:Network',
      'gcp:compute/subnetwork:Subnetwork',
      'gcp:compute/router:Router',
      'gcp:compute/routerNat:RouterNat',
      'gcp:servicenetworking/connection:Connection',
      'gcp:container/cluster:Cluster',
      'gcp:container/nodePool:NodePool',
      'gcp:redis/instance:Instance',
      'pulumi:providers:kubernetes',
      'aia:platform:Neo4jDatabase',
      'aia:platform:KafkaCluster',
      'aia:platform:ObjectStorage',
      'aia:platform:PlatformNamespaces',
      'kubernetes:helm.sh/v3:Release',
    ]) {
      expect(q.ofType(type).length, type).toBeGreaterThan(0);
    }
    // The primary, its read replica and the disaster recovery replica in another region.
    expect(q.ofType('gcp:sql/databaseInstance:DatabaseInstance')).toHaveLength(3);
  });

  it('runs a regional, private, Workload Identity cluster with no default node pool', () => {
    const cluster = q.one('gcp:container/cluster:Cluster');
    expect(cluster.location).toBe('us-central1');
    expect(cluster.privateClusterConfig.enablePrivateNodes).toBe(true);
    expect(cluster.workloadIdentityConfig.workloadPool).toBe('aia-platform-production.svc.id.goog');
    expect(cluster.removeDefaultNodePool).toBe(true);
    expect(cluster.datapathProvider).toBe('ADVANCED_DATAPATH');
    expect(cluster.releaseChannel.channel).toBe('STABLE');
    expect(cluster.deletionProtection).toBe(true);
    expect(cluster.binaryAuthorization.evaluationMode).toBe('PROJECT_SINGLETON_POLICY_ENFORCE');
    const cidrs = cluster.masterAuthorizedNetworksConfig.cidrBlocks.map(
      (block: { cidrBlock: string }) => block.cidrBlock,
    );
    expect(cidrs).not.toContain('0.0.0.0/0');
  });

  it('gives node pools the dedicated service account, shielded COS nodes and auto-repair', () => {
    const [nodes] = q
      .ofType('gcp:serviceaccount/account:Account')
      .filter((r) => r.name === 'aia-production-nodes');
    const account = q.inputsOf(nodes);
    for (const resource of q.ofType('gcp:container/nodePool:NodePool')) {
      const pool = q.inputsOf(resource);
      expect(pool.nodeConfig.serviceAccount).toBe(
        `${account.accountId}@aia-platform-production.iam.gserviceaccount.com`,
      );
      expect(pool.nodeConfig.imageType).toBe('COS_CONTAINERD');
      expect(pool.nodeConfig.shieldedInstanceConfig).toMatchObject({
        enableSecureBoot: true,
        enableIntegrityMonitoring: true,
      });
      expect(pool.management).toEqual({ autoRepair: true, autoUpgrade: true });
      expect(pool.autoscaling).toMatchObject({ minNodeCount: 1, maxNodeCount: 6 });
    }
  });

  it('opens no firewall rule to the internet', () => {
    for (const resource of q.ofType('gcp:compute/firewall:Firewall')) {
      const rule = q.inputsOf(resource);
      if (rule.allows?.length)
        expect(rule.sourceRanges ?? [], resource.name).not.toContain('0.0.0.0/0');
    }
  });

  it('keeps Cloud SQL private, encrypted, backed up, highly available and protected on both sides', () => {
    const [primary, replica] = q
      .ofType('gcp:sql/databaseInstance:DatabaseInstance')
      .map(q.inputsOf);
    expect(primary?.settings.ipConfiguration.ipv4Enabled).toBe(false);
    expect(primary?.settings.ipConfiguration.sslMode).toMatch(
      /ENCRYPTED_ONLY|TRUSTED_CLIENT_CERTIFICATE_REQUIRED/,
    );
    expect(primary?.settings.availabilityType).toBe('REGIONAL');
    expect(primary?.settings.backupConfiguration).toMatchObject({
      enabled: true,
      pointInTimeRecoveryEnabled: true,
    });
    expect(primary?.deletionProtection).toBe(true);
    expect(primary?.settings.deletionProtectionEnabled).toBe(true);
    expect(replica?.masterInstanceName).toBeDefined();
  });

  it('creates one database, user and DATABASE_URL secret per service that uses PostgreSQL', () => {
    const databases = q
      .ofType('gcp:sql/database:Database')
      .map((r) => q.inputsOf(r).name)
      .sort();
    expect(databases).toEqual([
      'agent_orchestrator',
      'aia_api',
      'dkg_manager',
      'economic_governor',
      'performance_tracker',
      'venture_discovery',
    ]);
    // The old password users (set NOLOGIN by the grant script), one IAM user per service and the
    // auditors' group.
    const users = q.ofType('gcp:sql/user:User').map((r) => q.inputsOf(r));
    expect(users).toHaveLength(13);
    expect(
      users.filter((user) => user.type === 'CLOUD_IAM_SERVICE_ACCOUNT').map((u) => u.name),
    ).toEqual(
      expect.arrayContaining([
        'economic-governor-production@aia-platform-production.iam',
        'aia-api-production@aia-platform-production.iam',
      ]),
    );
    expect(Object.keys(plan.outputs.databases as object).sort()).toEqual([
      'agent-orchestrator',
      'aia-api',
      'dkg-manager',
      'economic-governor',
      'performance-tracker',
      'venture-discovery',
    ]);
  });

  it('lets the auditors group log in as themselves and read the ledger, on the primary, its replicas and drill clones', () => {
    const group = 'ledger-auditors@aia-platform.dev';
    const groupUsers = q
      .ofType('gcp:sql/user:User')
      .map(q.inputsOf)
      .filter((user) => user.type === 'CLOUD_IAM_GROUP');
    expect(groupUsers).toEqual([
      expect.objectContaining({ name: group, instance: 'aia-production-postgres' }),
    ]);
    const grants = q
      .ofType('gcp:projects/iAMMember:IAMMember')
      .map(q.inputsOf)
      .filter((grant) => grant.member === `group:${group}`);
    expect(grants.map((grant) => grant.role).sort()).toEqual([...SERVICE_CLOUDSQL_ROLES].sort());
    // The instances the condition admits: the drill's clone (named by the drill itself), the
    // replicas, not another stack's instance.
    const clone = drillCloneName(
      {
        project: 'aia-platform-production',
        instance: 'aia-production-postgres',
        target: '2026-12-03T15:53:20.421Z',
      },
      new Date('2026-12-04T19:30:55Z'),
    );
    for (const grant of grants) {
      const expression: string = grant.condition.expression;
      expect(expression).toContain('resource.type == "sqladmin.googleapis.com/Instance"');
      const prefix = /resource\.name\.startsWith\("([^"]+)"\)/.exec(expression)?.[1] ?? '';
      const admits = (instance: string) =>
        `projects/aia-platform-production/instances/${instance}`.startsWith(prefix);
      expect(clone && admits(clone)).toBe(true);
      expect(admits('aia-production-postgres-replica-us-central1')).toBe(true);
      expect(admits('aia-production-postgres-dr-us-east1')).toBe(true);
      expect(admits('aia-staging-postgres')).toBe(false);
    }
    // Inside PostgreSQL: CONNECT and SELECT on the ledger's database and nothing else.
    const script = String(plan.outputs.cloudSqlGrants);
    const lines = script.split('\n').filter((line) => line.includes(`"${group}"`));
    expect(lines).toEqual([
      `GRANT CONNECT ON DATABASE "economic_governor" TO "${group}";`,
      `GRANT USAGE ON SCHEMA public TO "${group}";`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${group}";`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE "economic-governor-production@aia-platform-production.iam" IN SCHEMA public GRANT SELECT ON TABLES TO "${group}";`,
    ]);
    expect(script).toContain(
      `\\connect "economic_governor"\nGRANT USAGE ON SCHEMA public TO "${group}";`,
    );
  });

  it('runs Memorystore highly available with AUTH, TLS and RDB snapshots', () => {
    const redis = q.one('gcp:redis/instance:Instance');
    expect(redis).toMatchObject({
      tier: 'STANDARD_HA',
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      connectMode: 'PRIVATE_SERVICE_ACCESS',
    });
    expect(redis.persistenceConfig.persistenceMode).toBe('RDB');
  });

  it('stores every platform secret in Secret Manager as a secret value', () => {
    const versions = q.ofType('gcp:secretmanager/secretVersion:SecretVersion');
    expect(versions.length).toBeGreaterThanOrEqual(9);
    for (const version of versions) {
      expect(JSON.stringify(version.inputs.secretData), version.name).toContain(
        '4dabf18193072939515e22adb298388d',
      );
    }
    expect(Object.keys(plan.outputs.secretIds as object)).toEqual(
      expect.arrayContaining([
        'JWT_SIGNING_KEY',
        'ENCRYPTION_KEY',
        'TREASURY_PRIVATE_KEY',
        'REDIS_URL',
      ]),
    );
  });

  it('exports the stack-output contract, with the kubeconfig secret and no secret value anywhere', () => {
    const outputs = stackOutputsSchema.parse(plan.outputs);
    expect(outputs.kubeconfig).toBe(REDACTED);
    expect(outputs.sql.replicaConnectionName).toBeDefined();
    expect(outputs.backups.configBucket).toBe('aia-production-config-backups-nam4');
    expect(outputs.backups.configWriter).toMatch(/^aia-production-config-backup@/);
    expect(JSON.stringify(plan.outputs)).not.toContain(SECRET_MARKER);
  });

  it('enables the API of every Google Cloud resource it creates', () => {
    const enabled = new Set<string>([
      ...PREREQUISITE_APIS,
      ...q.ofType('gcp:projects/service:Service').map((service) => q.inputsOf(service).service),
    ]);
    const needed = new Set(
      plan.resources.map((resource) => apiOfResourceType(resource.type)).filter(Boolean),
    );
    expect([...needed].filter((api) => !enabled.has(api as string))).toEqual([]);
    expect(enabled).toContain('containerscanning.googleapis.com');
  });

  it('creates the Artifact Registry repository its image is pulled from, in the multi-region us', () => {
    expect(q.one('gcp:artifactregistry/repository:Repository')).toMatchObject({
      project: 'aia-platform-production',
      location: 'us',
      repositoryId: 'aia',
      format: 'DOCKER',
      dockerConfig: { immutableTags: true },
    });
    expect(plan.outputs.imageRepositoryUrl).toBe('us-docker.pkg.dev/aia-platform-production/aia');
    // The key that attests the images is where they are.
    expect(
      q
        .ofType('gcp:kms/keyRing:KeyRing')
        .map(q.inputsOf)
        .find((ring) => ring.name === 'aia-production-release')?.location,
    ).toBe('us');
  });

  it('maintains GKE, Cloud SQL and Memorystore and mutes alerts in its one window, Sunday 02:00', () => {
    const cluster = q.one('gcp:container/cluster:Cluster');
    expect(cluster.maintenancePolicy.recurringWindow).toEqual({
      startTime: '2025-01-05T02:00:00Z',
      endTime: '2025-01-05T14:00:00Z',
      recurrence: 'FREQ=WEEKLY;BYDAY=SU',
    });
    const primary = q
      .ofType('gcp:sql/databaseInstance:DatabaseInstance')
      .map(q.inputsOf)
      .find((instance) => !instance.masterInstanceName);
    expect(primary?.settings.maintenanceWindow).toMatchObject({ day: 7, hour: 2 });
    expect(q.one('gcp:redis/instance:Instance').maintenancePolicy.weeklyMaintenanceWindows).toEqual(
      [{ day: 'SUNDAY', startTime: { hours: 2, minutes: 0, seconds: 0, nanos: 0 } }],
    );
    const alertmanager = q
      .ofType('kubernetes:core/v1:Secret')
      .map(q.inputsOf)
      .find((secret) => secret.metadata?.name === 'alertmanager-aia');
    expect(alertmanager?.stringData['alertmanager.yaml']).toContain(
      '- weekdays:\n          - sunday\n        times:\n          - start_time: "02:00"\n            end_time: "04:00"',
    );
    const announcement = q
      .ofType('kubernetes:monitoring.coreos.com/v1:PrometheusRule')
      .map(q.inputsOf)
      .flatMap((rule) => rule.spec.groups)
      .flatMap((group) => group.rules)
      .find((rule) => rule.alert === 'MaintenanceWindowAhead');
    expect(announcement?.expr).toBe('(day_of_week() == 6) and (hour() == 2)');
  });

  it('keeps a disaster recovery replica of Cloud SQL in us-east1, beside the local read replica', () => {
    const instances = q.ofType('gcp:sql/databaseInstance:DatabaseInstance').map(q.inputsOf);
    const byName = Object.fromEntries(instances.map((instance) => [instance.name, instance]));
    expect(Object.keys(byName).sort()).toEqual([
      'aia-production-postgres',
      'aia-production-postgres-dr-us-east1',
      'aia-production-postgres-replica-us-central1',
    ]);
    expect(byName['aia-production-postgres-dr-us-east1']).toMatchObject({
      region: 'us-east1',
      masterInstanceName: 'aia-production-postgres',
      instanceType: 'READ_REPLICA_INSTANCE',
      deletionProtection: true,
      settings: { ipConfiguration: { ipv4Enabled: false, sslMode: 'ENCRYPTED_ONLY' } },
    });
    expect(byName['aia-production-postgres-replica-us-central1']?.region).toBe('us-central1');
  });

  it('keeps every container log 365 days in Cloud Logging and counts log bursts and failed exports', () => {
    expect(q.one('gcp:logging/projectBucketConfig:ProjectBucketConfig')).toMatchObject({
      bucketId: '_Default',
      location: 'global',
      retentionDays: 365,
    });
    const metrics = q.ofType('gcp:logging/metric:Metric').map(q.inputsOf);
    expect(metrics.map((metric) => metric.name).sort()).toEqual([
      'aia-production-auth-failures',
      'aia-production-http-5xx',
      'aia-production-ledger-refusals',
      'aia-production-sql-export-attempt-failures',
      'aia-production-sql-export-operation-failures',
    ]);
    // Their alerts and routing: cloud-alerts-production.test.ts.
  });

  it('exports every database daily to its own bucket through Cloud Scheduler, 15 minutes apart, done before the backup window', () => {
    const jobs = q.ofType('gcp:cloudscheduler/job:Job').map(q.inputsOf);
    const databases = q.ofType('gcp:sql/database:Database').map((db) => q.inputsOf(db).name);
    expect(jobs).toHaveLength(databases.length);
    // From 21:00, so the last (and an hour's margin) ends before the backup window opens at
    // 00:00, two hours before the Sunday maintenance window (export-window.ts).
    expect(jobs.map((job) => job.schedule)).toEqual(
      databases.map(
        (_, index) => `${(index * 15) % 60} ${21 + Math.floor((index * 15) / 60)} * * *`,
      ),
    );
    const primary = q
      .ofType('gcp:sql/databaseInstance:DatabaseInstance')
      .map(q.inputsOf)
      .find((instance) => instance.name === 'aia-production-postgres');
    expect(primary?.settings.backupConfiguration.startTime).toBe('00:00');
    for (const job of jobs) {
      expect(job.httpTarget.uri).toBe(
        'https://sqladmin.googleapis.com/v1/projects/aia-platform-production/instances/aia-production-postgres/export',
      );
      expect(job.httpTarget.oauthToken.serviceAccountEmail).toMatch(/^aia-production-sql-export@/);
      const body = JSON.parse(Buffer.from(job.httpTarget.body, 'base64').toString());
      const [database] = body.exportContext.databases;
      expect(databases).toContain(database);
      expect(body.exportContext).toEqual({
        fileType: 'SQL',
        uri: `gs://aia-production-sql-exports-nam4/${database}.sql.gz`,
        databases: [database],
        offload: true,
      });
    }
    const role = q.one('gcp:projects/iAMCustomRole:IAMCustomRole');
    expect(role.permissions).toEqual(['cloudsql.instances.export', 'cloudsql.instances.get']);
    // The primary's agent writes the exports; the disaster recovery replica's only once promoted
    // (disaster-recovery-promoted.test.ts): instances may share an agent, and a second grant of
    // the same binding would let removing the replica revoke the primary's.
    const writers = q
      .ofType('gcp:storage/bucketIAMMember:BucketIAMMember')
      .map(q.inputsOf)
      .filter((binding) => binding.bucket === 'aia-production-sql-exports-nam4')
      .map((binding) => `${binding.role} ${binding.member}`);
    expect(writers).toEqual([
      'roles/storage.objectUser serviceAccount:p000000000000-aia-production-postgres@gcp-sa-cloud-sql.iam.gserviceaccount.com',
    ]);
  });
});
