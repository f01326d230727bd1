import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackName } from '../../../services/catalog.js';
import { DEFAULT_SERVICES_NAMESPACE } from '../../config-schema.js';
import {
  JAEGER,
  JAEGER_BADGER_CLAIM,
  jaegerQueryUrl,
  OTEL_COLLECTOR,
  otlpHttpEndpoint,
  TRACING_SIZES,
} from './charts.js';
import { collectorValues } from './collector-values.js';
import { jaegerValues } from './jaeger-values.js';
import { tracingNetworkPolicies } from './network-policies.js';
import { tracingServiceMonitors } from './service-monitors.js';

export interface TracingStackArgs {
  /** Namespace of both releases (created by the program, with its default-deny policy). */
  readonly namespace: pulumi.Input<string>;
  readonly stack: StackName;
  /** Labels of the objects made outside the charts (the charts label their own). */
  readonly labels: Record<string, string>;
  /** Namespaces whose pods may send OTLP to the collector. Default: the default services namespace. */
  readonly otlpClientNamespaces?: readonly string[];
  /** Namespace of Prometheus and Grafana. Default `monitoring`. */
  readonly monitoringNamespace?: string;
  /**
   * The kube-prometheus-stack release (`MonitoringStack.release`). When given, the collector and
   * Jaeger get ServiceMonitors, created after it so that their CRD exists.
   */
  readonly prometheusOperator?: pulumi.Resource;
  /** Storage class of Jaeger's Badger volume (production). Default `premium-rwo` (zonal SSD). */
  readonly storageClass?: string;
}

/**
 * Traces: an OpenTelemetry Collector (OTLP gRPC 4317, HTTP 4318) in front of Jaeger v2, which
 * stores them (in memory on staging, Badger on a volume in production) and serves the query UI
 * and API that Grafana reads. Only the services' namespaces reach the collector, only the
 * collector reaches Jaeger's OTLP port, only monitoring reaches the query and metrics ports.
 */
export class TracingStack extends pulumi.ComponentResource {
  /** OTLP/HTTP endpoint for the services' `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly otlpEndpoint: pulumi.Output<string>;
  /** Jaeger's query UI and API, for Grafana's trace data source. */
  readonly queryUrl: pulumi.Output<string>;

  constructor(name: string, args: TracingStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:TracingStack', name, {}, opts);
    const child = { parent: this };
    const labelsFor = (role: string) => ({ ...args.labels, 'app.kubernetes.io/name': role });
    const metadata = (objectName: string, role: string) => ({
      name: objectName,
      namespace: args.namespace,
      labels: labelsFor(role),
    });

    const policies = tracingNetworkPolicies({
      otlpClientNamespaces: args.otlpClientNamespaces ?? [DEFAULT_SERVICES_NAMESPACE],
      monitoringNamespace: args.monitoringNamespace ?? 'monitoring',
    });
    for (const [policy, spec] of Object.entries(policies)) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policy}`,
        { metadata: metadata(policy, 'tracing'), spec },
        child,
      );
    }

    const storage = TRACING_SIZES[args.stack].storage;
    const badgerClaim =
      storage.type === 'badger'
        ? [
            new k8s.core.v1.PersistentVolumeClaim(
              `${name}-jaeger-badger`,
              {
                metadata: metadata(JAEGER_BADGER_CLAIM, JAEGER.chart),
                spec: {
                  storageClassName: args.storageClass ?? 'premium-rwo',
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: `${storage.volumeGb}Gi` } },
                },
              },
              child,
            ),
          ]
        : [];
    const release = (
      role: string,
      chart: { chart: string; version: string; repo: string; releaseName: string },
      values: object,
      dependsOn: pulumi.Resource[] = [],
    ) =>
      new k8s.helm.v3.Release(
        `${name}-${role}`,
        {
          name: chart.releaseName,
          chart: chart.chart,
          version: chart.version,
          repositoryOpts: { repo: chart.repo },
          namespace: args.namespace,
          values,
          atomic: true,
          skipAwait: false,
          timeout: 600,
          maxHistory: 10,
        },
        { parent: this, dependsOn },
      );
    const jaeger = release('jaeger', JAEGER, jaegerValues(args.stack), badgerClaim);
    const collector = release('collector', OTEL_COLLECTOR, collectorValues(args.stack), [jaeger]);

    const { prometheusOperator } = args;
    if (prometheusOperator) {
      for (const [monitor, spec] of Object.entries(tracingServiceMonitors())) {
        new k8s.apiextensions.CustomResource(
          `${name}-${monitor}-monitor`,
          {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'ServiceMonitor',
            metadata: metadata(monitor, monitor),
            spec,
          },
          { parent: this, dependsOn: [prometheusOperator, collector, jaeger] },
        );
      }
    }

    // From the releases' outputs, so that whoever reads them waits for the releases.
    this.otlpEndpoint = collector.namespace.apply(otlpHttpEndpoint);
    this.queryUrl = jaeger.namespace.apply(jaegerQueryUrl);
    this.registerOutputs({ otlpEndpoint: this.otlpEndpoint, queryUrl: this.queryUrl });
  }
}
