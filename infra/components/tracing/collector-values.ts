import type { StackName } from '../../../services/catalog.js';
import { CONTAINER_SECURITY_CONTEXT } from '../security-contexts.js';
import { JAEGER, OTEL_COLLECTOR, POD_SECURITY, TRACING_PORTS, TRACING_SIZES } from './charts.js';

/** The collector expands `${env:…}` itself: the chart sets MY_POD_IP from the pod's status. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: collector config syntax, not a JS template
export const POD_IP = '${env:MY_POD_IP}';

const onPodIp = (port: number) => `${POD_IP}:${port}`;

/**
 * The collector's whole configuration (`alternateConfig`: not merged with the chart's, which
 * also opens Jaeger, Zipkin and Prometheus receivers): OTLP in, memory limit, batches, OTLP/gRPC
 * out to Jaeger in the same namespace.
 */
export function collectorConfig() {
  const exporter = 'otlp_grpc/jaeger';
  return {
    extensions: { health_check: { endpoint: onPodIp(13133) } },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: onPodIp(TRACING_PORTS.otlpGrpc) },
          http: { endpoint: onPodIp(TRACING_PORTS.otlpHttp) },
        },
      },
    },
    processors: {
      memory_limiter: { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: {},
    },
    exporters: {
      [exporter]: {
        endpoint: `${JAEGER.releaseName}:${TRACING_PORTS.otlpGrpc}`,
        tls: { insecure: true },
      },
    },
    service: {
      extensions: ['health_check'],
      telemetry: {
        metrics: {
          readers: [
            {
              pull: {
                exporter: { prometheus: { host: POD_IP, port: TRACING_PORTS.metrics } },
              },
            },
          ],
        },
      },
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'batch'],
          exporters: [exporter],
        },
      },
    },
  };
}

/** Values of the collector release: deployment mode, OTLP ports and metrics only. */
export function collectorValues(stack: StackName) {
  const sizes = TRACING_SIZES[stack];
  const off = { enabled: false };
  return {
    mode: 'deployment',
    fullnameOverride: OTEL_COLLECTOR.releaseName,
    image: { repository: OTEL_COLLECTOR.image, tag: OTEL_COLLECTOR.imageTag },
    replicaCount: sizes.collectorReplicas,
    resources: sizes.collector,
    podSecurityContext: POD_SECURITY,
    securityContext: CONTAINER_SECURITY_CONTEXT,
    serviceAccount: { automountServiceAccountToken: false },
    ports: {
      'jaeger-compact': off,
      'jaeger-thrift': off,
      'jaeger-grpc': off,
      zipkin: off,
      metrics: { enabled: true },
    },
    alternateConfig: collectorConfig(),
    podDisruptionBudget:
      sizes.collectorReplicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
  };
}
