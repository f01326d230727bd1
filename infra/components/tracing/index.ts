export {
  JAEGER,
  JAEGER_BADGER_CLAIM,
  type JaegerStorage,
  jaegerQueryUrl,
  OTEL_COLLECTOR,
  otlpHttpEndpoint,
  TRACING_PORTS,
  TRACING_SIZES,
  type TracingSizes,
} from './charts.js';
export { collectorConfig, collectorValues, POD_IP } from './collector-values.js';
export { jaegerConfig, jaegerValues } from './jaeger-values.js';
export { COLLECTOR_PODS, JAEGER_PODS, tracingNetworkPolicies } from './network-policies.js';
export { tracingServiceMonitors } from './service-monitors.js';
export { TracingStack, type TracingStackArgs } from './tracing.js';
