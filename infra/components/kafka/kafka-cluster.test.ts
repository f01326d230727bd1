import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceNames } from '../../../services/catalog.js';
import { topics as catalogTopics, type TopicDefinition } from '../../../services/events/topics.js';
import { packViolations, plannedFromRecorded } from '../../../test/harness/policy-fixtures.js';
import {
  holdsSecret,
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { SECRET_MARKER } from '../../../tools/plan/placeholders.js';
import { chartCrdRelease, servedApis } from '../crds/index.js';
import { customResourceProblems } from '../crds/validate.js';
import type { KafkaCluster, KafkaClusterArgs } from './kafka-cluster.js';
import { STRIMZI_CHART } from './operator.js';
import { KAFKA_VERSION, SUPPORTED_KAFKA_VERSIONS } from './settings.js';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const CONFIG_FILE = 'kubernetes:yaml/v2:ConfigFile';
const strimzi = (kind: string) => `kubernetes:kafka.strimzi.io/v1:${kind}`;
const NETWORK_POLICY = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';
const SECRET = 'kubernetes:core/v1:Secret';
/** Generated secrets carry the plan's marker, as the offline plan's fakes do. */
const SCRAM_PASSWORD = `${SECRET_MARKER}scram-password`;

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes object inputs are untyped JSON
type Json = Record<string, any>;

const labels = { 'aia.platform/environment': 'production' };
const catalog = catalogTopics as Readonly<Record<string, TopicDefinition>>;

describe('KafkaCluster (mocks)', () => {
  let recorded: RecordedResource[];
  const dependsOn = new Map<string, unknown[]>();
  const retained = new Set<string>();
  let production: KafkaCluster;

  const of = (prefix: string, type: string) =>
    ofType(recorded, type).filter((r) => r.name.startsWith(prefix));
  const one = (prefix: string, type: string): Json => {
    const [resource] = of(prefix, type);
    if (!resource) throw new Error(`no ${type} under ${prefix}`);
    return resource.plain;
  };

  beforeAll(async () => {
    recorded = await startMockStack('production', ({ type }) =>
      type === 'tls:index/selfSignedCert:SelfSignedCert'
        ? { certPem: 'test cluster CA', validityStartTime: '2026-03-01T00:00:00Z' }
        : type === 'random:index/randomPassword:RandomPassword'
          ? { result: SCRAM_PASSWORD }
          : type === 'tls:index/privateKey:PrivateKey'
            ? { privateKeyPemPkcs8: `${SECRET_MARKER}ca-key` }
            : {},
    );
    const { KafkaCluster } = await import('./kafka-cluster.js');
    const recordDependsOn: pulumi.ResourceTransformation = ({ name, opts }) => {
      dependsOn.set(name, [opts.dependsOn ?? []].flat() as unknown[]);
      if (opts.retainOnDelete) retained.add(name);
      return undefined;
    };
    const base: KafkaClusterArgs = {
      namespace: 'kafka',
      stack: 'production',
      brokers: 3,
      storageGb: 200,
      cpu: '2',
      memory: '8Gi',
      labels,
      topics: catalog,
    };
    production = new KafkaCluster('prod', base, { transformations: [recordDependsOn] });
    new KafkaCluster('stage', {
      ...base,
      stack: 'staging',
      brokers: 1,
      storageGb: 20,
      cpu: '500m',
      memory: '2Gi',
    });
    // Drains every pending registration (NOTES.md), so assertions see all resources.
    await pulumi.runtime.disconnect();
  });

  it('installs the Strimzi operator from its pinned OCI chart, watching its own namespace', () => {
    const release = one('prod', RELEASE);
    expect(release).toMatchObject({
      name: 'strimzi',
      chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator',
      version: '1.2.0',
      namespace: 'kafka',
      skipCrds: true,
      atomic: true,
      skipAwait: false,
    });
    expect(release.values).toMatchObject({ watchAnyNamespace: false, watchNamespaces: [] });
  });

  it('applies the CRDs of the pinned Strimzi release itself, before the operator, and keeps them', () => {
    const applied = of('prod', CONFIG_FILE);
    expect(applied.map((r) => r.plain.file)).toEqual([
      chartCrdRelease(STRIMZI_CHART.chart, STRIMZI_CHART.version).manifest,
    ]);
    expect(applied[0]?.plain.file).toBe(
      'https://github.com/strimzi/strimzi-kafka-operator/releases/download/1.2.0/strimzi-crds-1.2.0.yaml',
    );
    expect(applied.every((manifest) => retained.has(manifest.name))).toBe(true);
    const operator = of('prod', RELEASE)[0];
    const names = (dependsOn.get(operator?.name ?? '') ?? []).map(
      (d) => (d as { __name?: string }).__name,
    );
    expect(names).toEqual(applied.map((r) => r.name));
  });

  it('renders every Strimzi object in the v1 API, valid against the Strimzi v1 models', () => {
    const served = servedApis(STRIMZI_CHART.chart, STRIMZI_CHART.version);
    const objects = recorded.filter((r) => r.type.startsWith('kubernetes:kafka.strimzi.io/'));
    expect(new Set(objects.map((r) => r.type.split(':')[1]))).toEqual(
      new Set(['kafka.strimzi.io/v1']),
    );
    for (const object of objects) {
      expect(customResourceProblems(object.plain as never, served), object.name).toEqual([]);
    }
    expect(SUPPORTED_KAFKA_VERSIONS[STRIMZI_CHART.version]).toContain(KAFKA_VERSION);
  });

  it('creates every Kafka resource after the operator release', () => {
    const operator = of('prod', RELEASE)[0];
    const kafkaResources = recorded.filter(
      (r) => r.name.startsWith('prod') && r.type.startsWith('kubernetes:kafka.strimzi.io/'),
    );
    expect(kafkaResources.length).toBeGreaterThan(2);
    for (const resource of kafkaResources) {
      const dependencies = dependsOn.get(resource.name) ?? [];
      expect(dependencies.some((d) => (d as { __name?: string }).__name === operator?.name)).toBe(
        true,
      );
    }
  });

  it('runs 3 dual-role KRaft nodes in production and 1 on staging, with the configured disks', () => {
    expect(one('prod', strimzi('KafkaNodePool')).spec).toMatchObject({
      replicas: 3,
      roles: ['controller', 'broker'],
      storage: {
        type: 'persistent-claim',
        size: '200Gi',
        class: 'premium-rwo',
        deleteClaim: false,
      },
      resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '2', memory: '8Gi' } },
    });
    expect(one('stage', strimzi('KafkaNodePool')).spec).toMatchObject({
      replicas: 1,
      storage: { size: '20Gi' },
      resources: { limits: { cpu: '500m', memory: '2Gi' } },
    });
    expect(one('prod', strimzi('KafkaNodePool')).metadata.labels['strimzi.io/cluster']).toBe('aia');
  });

  it('replicates 3 with 2 in sync in production, 1 and 1 on staging', () => {
    expect(one('prod', strimzi('Kafka')).spec.kafka.config).toMatchObject({
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
      'offsets.topic.replication.factor': 3,
      'transaction.state.log.replication.factor': 3,
      'transaction.state.log.min.isr': 2,
      'auto.create.topics.enable': false,
    });
    expect(one('stage', strimzi('Kafka')).spec.kafka.config).toMatchObject({
      'default.replication.factor': 1,
      'min.insync.replicas': 1,
      'offsets.topic.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
    });
  });

  it('accepts clients only over TLS with SCRAM-SHA-512 on 9093, from the aia namespace', () => {
    const kafka = one('prod', strimzi('Kafka'));
    expect(kafka.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Ready' });
    expect(kafka.spec.kafka.listeners).toEqual([
      {
        name: 'tls',
        port: 9093,
        type: 'internal',
        tls: true,
        authentication: { type: 'scram-sha-512' },
        networkPolicyPeers: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'aia' } } },
        ],
      },
    ]);
    expect(kafka.spec.kafka.authorization).toEqual({ type: 'simple' });
  });

  it('runs brokers and entity operators as non-root with a read-only root filesystem', () => {
    const { kafka, entityOperator } = one('prod', strimzi('Kafka')).spec;
    const containers = [
      kafka.template.kafkaContainer,
      entityOperator.template.topicOperatorContainer,
      entityOperator.template.userOperatorContainer,
    ];
    for (const container of containers) {
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
    expect(kafka.template.pod.securityContext.runAsNonRoot).toBe(true);
    expect(entityOperator.topicOperator.resources.limits).toBeDefined();
    expect(entityOperator.userOperator.resources.limits).toBeDefined();
  });

  it('turns every catalog topic into a KafkaTopic with its partitions and retention', () => {
    for (const [prefix, stack, replicas, inSync] of [
      ['prod', 'production', 3, 2],
      ['stage', 'staging', 1, 1],
    ] as const) {
      const kafkaTopics = of(prefix, strimzi('KafkaTopic')).map((r) => r.plain as Json);
      expect(kafkaTopics.map((t) => t.metadata.name).sort()).toEqual(Object.keys(catalog).sort());
      for (const kafkaTopic of kafkaTopics) {
        const definition = catalog[kafkaTopic.metadata.name] as TopicDefinition;
        expect(kafkaTopic.metadata.labels['strimzi.io/cluster']).toBe('aia');
        expect(kafkaTopic.spec).toEqual({
          partitions: definition.partitions[stack],
          replicas,
          config: {
            'retention.ms': definition.cleanupPolicy === 'delete' ? definition.retention.ms : -1,
            'cleanup.policy': definition.cleanupPolicy,
            'min.insync.replicas': inSync,
          },
        });
      }
    }
  });

  it('gives each service a SCRAM user whose ACLs name only its own topics and group', () => {
    const users = of('prod', strimzi('KafkaUser')).map((r) => r.plain as Json);
    expect(users.map((u) => u.metadata.name).sort()).toEqual([...serviceNames].sort());
    for (const user of users) {
      const service = user.metadata.name as (typeof serviceNames)[number];
      expect(user.spec.authentication).toEqual({
        type: 'scram-sha-512',
        password: {
          valueFrom: { secretKeyRef: { name: `${service}-scram-password`, key: 'password' } },
        },
      });
      expect(user.spec.authorization.type).toBe('simple');
      for (const acl of user.spec.authorization.acls as Json[]) {
        expect(acl.resource.patternType).toBe('literal');
        if (acl.resource.type === 'group') {
          expect(acl).toEqual({
            resource: { type: 'group', name: service, patternType: 'literal' },
            operations: ['Read'],
          });
          continue;
        }
        const topic = catalog[acl.resource.name] as TopicDefinition;
        for (const operation of acl.operations as string[]) {
          const allowed =
            operation === 'Read' ? [...topic.consumers, ...(topic.readers ?? [])] : topic.producers;
          expect(allowed).toContain(service);
        }
      }
    }
  });

  it('makes each SCRAM password a secret in a Secret the KafkaUser waits for', () => {
    const secrets = of('prod', SECRET).map((r) => r);
    for (const service of serviceNames) {
      const secret = secrets.find((r) => r.name === `prod-${service}-scram-password`);
      expect(secret?.plain).toMatchObject({
        metadata: { name: `${service}-scram-password`, namespace: 'kafka' },
        stringData: { password: SCRAM_PASSWORD },
      });
      expect(holdsSecret(secret?.inputs.stringData)).toBe(true);
      const waits = (dependsOn.get(`prod-user-${service}`) ?? []).map(
        (d) => (d as { __name?: string }).__name,
      );
      expect(waits).toContain(`prod-${service}-scram-password`);
    }
  });

  it("gives Strimzi the program's cluster CA before the Kafka resource, as Strimzi expects it", () => {
    const kafka = one('prod', strimzi('Kafka'));
    expect(kafka.spec.clusterCa).toEqual({
      generateCertificateAuthority: false,
      generateSecretOwnerReference: false,
    });
    const cert = of('prod', SECRET).find((r) => r.name === 'prod-cluster-ca-cert');
    const key = of('prod', SECRET).find((r) => r.name === 'prod-cluster-ca');
    const strimziLabels = { 'strimzi.io/kind': 'Kafka', 'strimzi.io/cluster': 'aia' };
    expect(cert?.plain).toMatchObject({
      metadata: {
        name: 'aia-cluster-ca-cert',
        namespace: 'kafka',
        labels: strimziLabels,
        // Days from 1970 to 2026-03-01: a renewal starts later and gets a larger generation.
        annotations: { 'strimzi.io/ca-cert-generation': '20513' },
      },
      stringData: { 'ca.crt': 'test cluster CA' },
    });
    expect(key?.plain).toMatchObject({
      metadata: {
        name: 'aia-cluster-ca',
        labels: strimziLabels,
        annotations: { 'strimzi.io/ca-key-generation': '0' },
      },
    });
    expect(holdsSecret(key?.inputs.stringData)).toBe(true);
    const ca = ofType(recorded, 'tls:index/selfSignedCert:SelfSignedCert').find(
      (r) => r.name === 'prod-cluster-ca-cert',
    );
    expect(ca?.plain).toMatchObject({
      isCaCertificate: true,
      allowedUses: expect.arrayContaining(['cert_signing']),
    });
    const waits = (dependsOn.get('prod-kafka') ?? []).map((d) => (d as { __name?: string }).__name);
    expect(waits).toEqual(expect.arrayContaining(['prod-cluster-ca-cert', 'prod-cluster-ca']));
  });

  it('lets the services reach 9093 and monitoring scrape metrics, nothing else', () => {
    const [clients, metrics] = of('prod', NETWORK_POLICY).map((r) => r.plain as Json);
    expect(clients?.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'aia' } } }],
        ports: [{ protocol: 'TCP', port: 9093 }],
      },
    ]);
    expect(clients?.spec.podSelector.matchLabels).toMatchObject({ 'strimzi.io/kind': 'Kafka' });
    expect(metrics?.spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
    expect(metrics?.spec.ingress[0].ports.map((p: Json) => p.port)).toEqual([9404, 8080, 8081]);
  });

  it('outputs the TLS bootstrap address, topics and the Secret of each user', async () => {
    expect(await resolve(production.clusterName)).toBe('aia');
    expect(await resolve(production.bootstrapServers)).toBe('aia-kafka-bootstrap.kafka.svc:9093');
    expect(await resolve(production.clusterCaCertSecret)).toBe('aia-cluster-ca-cert');
    expect((await resolve(production.topics)).sort()).toEqual(Object.keys(catalog).sort());
    expect(await resolve(production.userSecrets)).toEqual(
      Object.fromEntries(serviceNames.map((service) => [service, service])),
    );
    expect(await resolve(production.clusterCaCertificate)).toBe('test cluster CA');
    expect(Object.keys(production.clients).sort()).toEqual([...serviceNames].sort());
    const governor = production.clients['economic-governor'];
    expect(await resolve(governor?.username as pulumi.Output<string>)).toBe('economic-governor');
    expect(await resolve(governor?.password as pulumi.Output<string>)).toBe(SCRAM_PASSWORD);
    expect(await pulumi.isSecret(governor?.password as pulumi.Output<string>)).toBe(true);
  });

  it('labels every object for the platform', () => {
    // The release's CRD manifest is applied as published: its CRDs carry Strimzi's own labels.
    const objects = recorded.filter(
      (r) => r.type.startsWith('kubernetes:') && r.type !== RELEASE && r.type !== CONFIG_FILE,
    );
    for (const object of objects) {
      expect((object.plain as Json).metadata.labels).toMatchObject({
        ...labels,
        'app.kubernetes.io/name': 'kafka',
        'app.kubernetes.io/part-of': 'aia-platform',
        'app.kubernetes.io/managed-by': 'pulumi',
      });
    }
  });

  it("passes the policy pack with every policy mandatory, but for staging's zonal single broker", async () => {
    const resources = plannedFromRecorded(recorded);
    expect(resources.length).toBeGreaterThan(40);
    const violations = await packViolations(resources);
    // Only the one-broker staging pool's zonal volume (advisory in the staging pack config): three
    // brokers replicate their own partitions, one has nothing to fail over to.
    expect(violations.map(({ policy, urn }) => [policy, urn.split('::').pop()])).toEqual([
      ['k8s-regional-disks', 'stage-node-pool'],
    ]);
  });
});
