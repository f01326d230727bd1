import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  packViolations,
  planned,
  plannedFromRecorded,
} from '../../../test/harness/policy-fixtures.js';
import {
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { REGIONAL_PD_CLASS, regionalPdStorageClass } from '../storage-classes/index.js';
import { jaegerQueryUrl } from './charts.js';
import { POD_IP } from './collector-values.js';
import type { TracingStack } from './tracing.js';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const POLICY = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';
const MONITOR = 'kubernetes:monitoring.coreos.com/v1:ServiceMonitor';
const PVC = 'kubernetes:core/v1:PersistentVolumeClaim';
const labels = {
  'app.kubernetes.io/part-of': 'aia-platform',
  'app.kubernetes.io/managed-by': 'pulumi',
};

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects and Helm values are untyped JSON
type Json = Record<string, any>;

describe('TracingStack (mocks)', () => {
  let recorded: RecordedResource[];
  let production: TracingStack;
  let staging: TracingStack;

  const ofStack = (type: string, prefix: string) =>
    ofType(recorded, type).filter((r) => r.name.startsWith(prefix));
  const release = (resourceName: string) =>
    recorded.find((r) => r.type === RELEASE && r.name === resourceName)?.plain as Json;

  beforeAll(async () => {
    recorded = await startMockStack('production', () => ({}));
    const { TracingStack } = await import('./tracing.js');
    const operator = new k8s.helm.v3.Release('kube-prometheus-stack', {
      chart: 'kube-prometheus-stack',
      version: '88.5.3',
    });
    production = new TracingStack('prod-tracing', {
      namespace: 'tracing',
      stack: 'production',
      labels,
      prometheusOperator: operator,
      storageClass: REGIONAL_PD_CLASS,
    });
    staging = new TracingStack('stage-tracing', { namespace: 'tracing', stack: 'staging', labels });
    await pulumi.runtime.disconnect();
  });

  it('installs the collector and Jaeger from pinned charts, atomically', () => {
    expect(release('prod-tracing-collector')).toMatchObject({
      name: 'otel-collector',
      chart: 'opentelemetry-collector',
      version: '0.170.0',
      repositoryOpts: { repo: 'https://open-telemetry.github.io/opentelemetry-helm-charts' },
      namespace: 'tracing',
      atomic: true,
      skipAwait: false,
    });
    expect(release('prod-tracing-jaeger')).toMatchObject({
      name: 'jaeger',
      chart: 'jaeger',
      version: '4.11.1',
      repositoryOpts: { repo: 'https://jaegertracing.github.io/helm-charts' },
    });
  });

  it('runs the pinned collector-contrib image in deployment mode, OTLP in, Jaeger out', () => {
    const values = release('prod-tracing-collector').values as Json;
    expect(values).toMatchObject({
      mode: 'deployment',
      image: { repository: 'otel/opentelemetry-collector-contrib', tag: '0.158.0' },
      replicaCount: 2,
    });
    const config = values.alternateConfig;
    expect(config.receivers.otlp.protocols).toEqual({
      grpc: { endpoint: `${POD_IP}:4317` },
      http: { endpoint: `${POD_IP}:4318` },
    });
    expect(config.exporters['otlp_grpc/jaeger']).toEqual({
      endpoint: 'jaeger:4317',
      tls: { insecure: true },
    });
    expect(config.service.pipelines).toEqual({
      traces: {
        receivers: ['otlp'],
        processors: ['memory_limiter', 'batch'],
        exporters: ['otlp_grpc/jaeger'],
      },
    });
  });

  it('keeps production traces in Badger on a claimed volume and staging traces in memory', () => {
    const prod = release('prod-tracing-jaeger').values as Json;
    expect(prod.userconfig.extensions.jaeger_storage.backends.primary.badger).toMatchObject({
      ephemeral: false,
      ttl: { spans: '72h' },
    });
    expect(prod.jaeger.extraVolumes).toContainEqual({
      name: 'badger',
      persistentVolumeClaim: { claimName: 'jaeger-badger' },
    });
    expect(ofStack(PVC, 'prod').map((r) => r.plain.spec)).toEqual([
      {
        storageClassName: REGIONAL_PD_CLASS,
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '50Gi' } },
      },
    ]);
    const stage = release('stage-tracing-jaeger').values as Json;
    expect(stage.userconfig.extensions.jaeger_storage.backends.primary).toEqual({
      memory: { max_traces: 50_000 },
    });
    expect(ofStack(PVC, 'stage')).toEqual([]);
  });

  it('outputs the in-cluster OTLP/HTTP endpoint and the query URL', async () => {
    expect(await resolve(production.otlpEndpoint)).toBe(
      'http://otel-collector.tracing.svc.cluster.local:4318',
    );
    expect(await resolve(staging.queryUrl)).toBe('http://jaeger.tracing.svc.cluster.local:16686');
    // Known up front, for the monitoring stack that the tracing stack waits for.
    expect(jaegerQueryUrl('tracing')).toBe(await resolve(production.queryUrl));
  });

  it('lets OTLP in from the services namespace and the query UI from monitoring only', () => {
    const policies = new Map(
      ofStack(POLICY, 'prod').map((r) => [r.plain.metadata as Json, r.plain.spec as Json]),
    );
    const byName = new Map([...policies].map(([metadata, spec]) => [metadata.name, spec]));
    expect(byName.get('allow-otlp-from-services')?.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: {
              matchExpressions: [
                { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['aia'] },
              ],
            },
          },
        ],
        ports: [
          { protocol: 'TCP', port: 4317 },
          { protocol: 'TCP', port: 4318 },
        ],
      },
    ]);
    expect(byName.get('allow-jaeger-query-from-monitoring')?.ingress[0]).toMatchObject({
      from: [{ namespaceSelector: { matchExpressions: [{ values: ['monitoring'] }] } }],
      ports: [{ protocol: 'TCP', port: 16686 }],
    });
    expect(byName.get('allow-jaeger-from-collector')?.ingress[0].from).toEqual([
      {
        podSelector: {
          matchLabels: {
            'app.kubernetes.io/name': 'opentelemetry-collector',
            'app.kubernetes.io/instance': 'otel-collector',
          },
        },
      },
    ]);
  });

  it('adds ServiceMonitors only when the Prometheus Operator is there', () => {
    expect(
      ofStack(MONITOR, 'prod')
        .map((r) => r.plain.metadata as Json)
        .map((m) => m.name)
        .sort(),
    ).toEqual(['jaeger', 'otel-collector']);
    expect(ofStack(MONITOR, 'stage')).toEqual([]);
  });

  it('writes objects that validate against the Kubernetes and Prometheus Operator schemas', () => {
    const models: Record<string, [string, string, new (data: never) => { validate(): void }]> = {
      [POLICY]: ['networking.k8s.io/v1', 'NetworkPolicy', NetworkPolicy],
      [PVC]: ['v1', 'PersistentVolumeClaim', PersistentVolumeClaim],
      [MONITOR]: ['monitoring.coreos.com/v1', 'ServiceMonitor', ServiceMonitor],
    };
    const objects = recorded.filter((r) => models[r.type]);
    expect(objects).toHaveLength(13);
    for (const { type, plain } of objects) {
      const [apiVersion, kind, Model] = models[type] as [
        string,
        string,
        new (data: never) => { validate(): void },
      ];
      expect(() => new Model({ apiVersion, kind, ...plain } as never).validate()).not.toThrow();
    }
  });

  it('passes the policy pack', async () => {
    // The stand-in operator release is MonitoringStack's to check (its CRDs are applied there).
    const resources = [
      ...plannedFromRecorded(
        recorded.filter((r) => r.type !== RELEASE || r.name !== 'kube-prometheus-stack'),
      ),
      // The regional class Badger's volume names: the program declares it in a regional cluster.
      planned(
        'kubernetes:storage.k8s.io/v1:StorageClass',
        'regional-pd',
        regionalPdStorageClass(['us-central1-a', 'us-central1-b']),
      ),
    ];
    expect(await packViolations(resources)).toEqual([]);
  });
});
