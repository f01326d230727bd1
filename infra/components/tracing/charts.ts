import type { StackName } from '../../../services/catalog.js';
import { podSecurityContext } from '../security-contexts.js';

/** The OpenTelemetry Collector chart and the collector-contrib image it runs, pinned. */
export const OTEL_COLLECTOR = {
  chart: 'opentelemetry-collector',
  version: '0.170.0',
  repo: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
  /** Release name, and the Service's name through `fullnameOverride`. */
  releaseName: 'otel-collector',
  image: 'otel/opentelemetry-collector-contrib',
  imageTag: '0.158.0',
} as const;

/** The Jaeger v2 chart (one all-in-one Deployment: ingest, storage, query) and image, pinned. */
export const JAEGER = {
  chart: 'jaeger',
  version: '4.11.1',
  repo: 'https://jaegertracing.github.io/helm-charts',
  /** Release name; the chart names its Deployment and Service after it. */
  releaseName: 'jaeger',
  imageTag: '2.19.0',
} as const;

export const TRACING_PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  jaegerQuery: 16686,
  /** Both the collector and Jaeger serve their own metrics here. */
  metrics: 8888,
} as const;

const inCluster = (service: string, namespace: string, port: number) =>
  `http://${service}.${namespace}.svc.cluster.local:${port}`;

/** The collector's OTLP/HTTP endpoint for a tracing namespace. */
export const otlpHttpEndpoint = (namespace: string) =>
  inCluster(OTEL_COLLECTOR.releaseName, namespace, TRACING_PORTS.otlpHttp);

/**
 * Jaeger's query URL for a tracing namespace. Known before the stack exists, so the monitoring
 * stack can name it while the tracing stack waits for the monitoring release.
 */
export const jaegerQueryUrl = (namespace: string) =>
  inCluster(JAEGER.releaseName, namespace, TRACING_PORTS.jaegerQuery);

/** Claim holding Jaeger's Badger files when the stack keeps traces on disk. */
export const JAEGER_BADGER_CLAIM = 'jaeger-badger';

/**
 * Where Jaeger keeps traces. `memory`: lost on restart, bounded by trace count. `badger`: an
 * embedded store on a volume, kept `ttl`; one replica only (a single writer owns the files).
 */
export type JaegerStorage =
  | { readonly type: 'memory'; readonly maxTraces: number }
  | { readonly type: 'badger'; readonly volumeGb: number; readonly ttl: string };

interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface TracingSizes {
  readonly collectorReplicas: number;
  readonly collector: ContainerResources;
  readonly jaeger: ContainerResources;
  readonly storage: JaegerStorage;
}

/**
 * Staging keeps recent traces in memory. Production keeps three days in Badger on a volume: it
 * survives restarts, but is one pod on one disk. Traces meant to outlive a zone or be searched
 * for weeks belong in an external store (Elasticsearch or OpenSearch, Cassandra, ClickHouse,
 * configured in `jaegerConfig`), or in Tempo on Cloud Storage.
 */
export const TRACING_SIZES: Readonly<Record<StackName, TracingSizes>> = {
  staging: {
    collectorReplicas: 1,
    collector: {
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    },
    jaeger: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
    storage: { type: 'memory', maxTraces: 50_000 },
  },
  production: {
    collectorReplicas: 2,
    collector: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    jaeger: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
    storage: { type: 'badger', volumeGb: 50, ttl: '72h' },
  },
};

/** Both images run as user 10001. */
export const POD_SECURITY = podSecurityContext({ user: 10001 });
