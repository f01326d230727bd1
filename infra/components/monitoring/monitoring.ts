import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { StackName } from '../../../services/catalog.js';
import { ChartCrds } from '../crds/index.js';
import { GRAFANA_ADMIN_KEYS } from './grafana-values.js';
import { monitoringNetworkPolicies } from './network-policies.js';
import {
  type AlertmanagerConfigSource,
  KUBE_PROMETHEUS_STACK,
  type MonitoringValuesArgs,
  monitoringServices,
  monitoringValues,
} from './values.js';

export interface MonitoringStackArgs {
  /** Namespace of the release (created by the program, with its default-deny policy). */
  readonly namespace: pulumi.Input<string>;
  readonly stack: StackName;
  /** How long Prometheus keeps samples, such as `15d`. */
  readonly retention: string;
  /** Size of each Prometheus replica's `premium-rwo` volume. */
  readonly prometheusStorageGb: number;
  readonly alertmanagerReplicas: number;
  /** Public host of Grafana behind the ingress, such as `grafana.aia-platform.dev`. */
  readonly grafanaHost: string;
  /** Labels of the objects made outside the chart (the chart labels its own). */
  readonly labels: Record<string, string>;
  /**
   * Annotations of Grafana's Service: pass the ingress component's
   * `backendServiceAnnotations(edgeObjectName('grafana'))` so the load balancer reaches it.
   */
  readonly grafanaServiceAnnotations?: Record<string, string>;
  /**
   * Jaeger's query URL, added as Grafana's trace data source. Pass the tracing component's
   * `jaegerQueryUrl(namespace)`: TracingStack waits for this stack's release (for its
   * ServiceMonitors), so its `queryUrl` output does not exist yet when this stack is built.
   */
  readonly tracingQueryUrl?: pulumi.Input<string>;
  /**
   * Run node-exporter. Default `false`: it needs host network, PID and paths, which the
   * namespace's Pod Security level (restricted or baseline) refuses; GKE reports node metrics to
   * Cloud Monitoring, and the kubelet's cAdvisor still gives container usage.
   */
  readonly nodeExporter?: boolean;
  /**
   * Where Alertmanager's configuration lives (a Secret with `alertmanager.yaml`, and Secrets it
   * reads). Default: the chart's, which routes every alert to a null receiver.
   */
  readonly alertmanagerConfig?: AlertmanagerConfigSource;
}

/** Where a Service of the stack answers. */
export interface ServiceRef {
  readonly name: pulumi.Output<string>;
  readonly port: number;
  readonly namespace: pulumi.Output<string>;
}

/**
 * kube-prometheus-stack on GKE: Prometheus (retention, one volume per replica), Alertmanager,
 * Grafana with generated admin credentials, behind the ingress, and the network policies the
 * namespace needs. ServiceMonitors, PrometheusRules and dashboards of every namespace load.
 */
export class MonitoringStack extends pulumi.ComponentResource {
  /**
   * The Helm release; depend on it before creating ServiceMonitors or PrometheusRules (it waits
   * for the CRDs, which Pulumi applies from the pinned operator release's CRD manifest).
   */
  readonly release: k8s.helm.v3.Release;
  /** Release name, for `release:` labels on PrometheusRules and ServiceMonitors. */
  readonly releaseName: pulumi.Output<string>;
  readonly grafanaService: ServiceRef;
  /** Secret holding Grafana's admin user and password (keys `admin-user`, `admin-password`). */
  readonly grafanaAdminSecretName: pulumi.Output<string>;
  readonly alertmanagerService: ServiceRef;
  /** In-cluster Prometheus URL: `http://kube-prometheus-stack-prometheus.<namespace>.svc.cluster.local:9090`. */
  readonly prometheusUrl: pulumi.Output<string>;

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const secretName = 'grafana-admin';
    const valuesArgs: MonitoringValuesArgs = {
      ...args,
      tracingQueryUrl: undefined,
      grafanaAdminSecretName: secretName,
    };
    // Validated before anything registers, so a bad figure leaves nothing half-built.
    const plainValues = monitoringValues(valuesArgs);
    super('aia:platform:MonitoringStack', name, {}, opts);
    const child = { parent: this };
    const labelsFor = (role: string) => ({ ...args.labels, 'app.kubernetes.io/name': role });

    const user = new random.RandomPassword(
      `${name}-grafana-admin-user`,
      { length: 8, special: false, upper: false },
      child,
    );
    const password = new random.RandomPassword(
      `${name}-grafana-admin-password`,
      { length: 32, special: false },
      child,
    );
    const adminSecret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: secretName, namespace: args.namespace, labels: labelsFor('grafana') },
        type: 'Opaque',
        stringData: {
          [GRAFANA_ADMIN_KEYS.user]: pulumi.interpolate`admin-${user.result}`,
          [GRAFANA_ADMIN_KEYS.password]: password.result,
        },
      },
      child,
    );
    for (const [policy, spec] of Object.entries(monitoringNetworkPolicies())) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policy}`,
        {
          metadata: { name: policy, namespace: args.namespace, labels: labelsFor('monitoring') },
          spec,
        },
        child,
      );
    }

    const crds = new ChartCrds(`${name}-crds`, { chart: KUBE_PROMETHEUS_STACK }, child);
    const values =
      args.tracingQueryUrl === undefined
        ? plainValues
        : pulumi
            .output(args.tracingQueryUrl)
            .apply((tracingQueryUrl) => monitoringValues({ ...valuesArgs, tracingQueryUrl }));
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: KUBE_PROMETHEUS_STACK.releaseName,
        chart: KUBE_PROMETHEUS_STACK.chart,
        version: KUBE_PROMETHEUS_STACK.version,
        repositoryOpts: { repo: KUBE_PROMETHEUS_STACK.repo },
        namespace: args.namespace,
        values,
        skipCrds: true,
        atomic: true,
        skipAwait: false,
        timeout: 900,
        maxHistory: 10,
      },
      { parent: this, dependsOn: [adminSecret, crds.manifest] },
    );

    const namespace = this.release.namespace;
    const services = monitoringServices(KUBE_PROMETHEUS_STACK.releaseName);
    const ref = ({ name, port }: { name: string; port: number }): ServiceRef => ({
      name: this.release.name.apply(() => name),
      port,
      namespace,
    });
    this.releaseName = this.release.name;
    this.grafanaService = ref(services.grafana);
    this.alertmanagerService = ref(services.alertmanager);
    this.grafanaAdminSecretName = adminSecret.metadata.name;
    const prometheus = ref(services.prometheus);
    this.prometheusUrl = pulumi.interpolate`http://${prometheus.name}.${namespace}.svc.cluster.local:${prometheus.port}`;
    this.registerOutputs({
      releaseName: this.releaseName,
      grafanaService: this.grafanaService,
      grafanaAdminSecretName: this.grafanaAdminSecretName,
      alertmanagerService: this.alertmanagerService,
      prometheusUrl: this.prometheusUrl,
    });
  }
}
