import type { StackName } from '../../../services/catalog.js';
import { CONTAINER_SECURITY_CONTEXT } from '../security-contexts.js';
import {
  JAEGER,
  JAEGER_BADGER_CLAIM,
  type JaegerStorage,
  POD_SECURITY,
  TRACING_PORTS,
  TRACING_SIZES,
} from './charts.js';

/** Jaeger v2's configuration: OTLP from the collector, the stack's storage, query UI and API. */
export function jaegerConfig(storage: JaegerStorage) {
  const backend =
    storage.type === 'memory'
      ? { memory: { max_traces: storage.maxTraces } }
      : {
          badger: {
            directories: { keys: '/badger/keys', values: '/badger/values' },
            ephemeral: false,
            ttl: { spans: storage.ttl },
          },
        };
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['batch'],
          exporters: ['jaeger_storage_exporter'],
        },
      },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        metrics: {
          level: 'detailed',
          readers: [
            {
              pull: { exporter: { prometheus: { host: '0.0.0.0', port: TRACING_PORTS.metrics } } },
            },
          ],
        },
        logs: { level: 'info' },
      },
    },
    extensions: {
      // The chart probes /status on 13133; the extension listens on localhost unless told.
      healthcheckv2: { use_v2: true, http: { endpoint: '0.0.0.0:13133' } },
      jaeger_query: { storage: { traces: 'primary' } },
      jaeger_storage: { backends: { primary: backend } },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${TRACING_PORTS.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${TRACING_PORTS.otlpHttp}` },
        },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'primary' } },
  };
}

/** Values of the Jaeger release: one all-in-one pod, non-root, read-only, the stack's storage. */
export function jaegerValues(stack: StackName) {
  const sizes = TRACING_SIZES[stack];
  const badger = sizes.storage.type === 'badger';
  return {
    jaeger: {
      replicas: 1,
      image: { tag: JAEGER.imageTag },
      resources: sizes.jaeger,
      podSecurityContext: POD_SECURITY,
      securityContext: CONTAINER_SECURITY_CONTEXT,
      serviceAccount: { automountServiceAccountToken: false },
      extraVolumes: [
        { name: 'tmp', emptyDir: {} },
        ...(badger
          ? [{ name: 'badger', persistentVolumeClaim: { claimName: JAEGER_BADGER_CLAIM } }]
          : []),
      ],
      extraVolumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        ...(badger ? [{ name: 'badger', mountPath: '/badger' }] : []),
      ],
    },
    userconfig: jaegerConfig(sizes.storage),
  };
}
