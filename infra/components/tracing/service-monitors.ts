import { JAEGER, OTEL_COLLECTOR } from './charts.js';
import { COLLECTOR_PODS, JAEGER_PODS } from './network-policies.js';

/**
 * ServiceMonitor specs, by object name: the collector's and Jaeger's own metrics (queue sizes,
 * refused and exported spans), scraped by their Services' named metrics ports.
 */
export const tracingServiceMonitors = () => ({
  [OTEL_COLLECTOR.releaseName]: {
    selector: { matchLabels: COLLECTOR_PODS },
    endpoints: [{ port: 'metrics', interval: '30s' }],
  },
  [JAEGER.releaseName]: {
    selector: { matchLabels: JAEGER_PODS },
    endpoints: [{ port: 'internal-metrics', interval: '30s' }],
  },
});
