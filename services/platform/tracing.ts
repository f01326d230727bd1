import { httpInstrumentationMiddleware } from '@hono/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { MiddlewareHandler } from 'hono';

export interface TracingOptions {
  readonly service: string;
  readonly version: string;
  readonly environment: string;
  /** OTLP/HTTP base URL of the collector, for example `http://otel-collector.monitoring:4318`. */
  readonly endpoint: string;
  /** Fraction of new traces kept (parent decisions are followed). */
  readonly samplingRatio: number;
}

export interface Tracing {
  /** A span per request, named by route, with method, route and status. */
  readonly middleware: MiddlewareHandler;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry traces over OTLP/HTTP. The provider is the service's own (not registered
 * globally), so several services in one process keep their own `service.name`.
 */
export function startTracing({
  service,
  version,
  environment,
  endpoint,
  samplingRatio,
}: TracingOptions): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.version': version,
      'deployment.environment.name': environment,
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplingRatio) }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
      ),
    ],
  });
  return {
    middleware: httpInstrumentationMiddleware({
      tracerProvider: provider,
      serviceName: service,
      serviceVersion: version,
      captureActiveRequests: false,
    }),
    shutdown: () => provider.shutdown(),
  };
}
