import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackName } from '../../../services/catalog.js';
import { dashboardConfigMaps } from '../../alerting/dashboards/index.js';
import type { AlertingNamespaces } from '../../alerting/namespaces.js';
import { prometheusRuleObjects } from '../../alerting/rules/index.js';
import type { MaintenanceWindow } from '../../maintenance/window.js';

export interface ObservabilityContentArgs {
  readonly stack: StackName;
  readonly namespace: pulumi.Input<string>;
  /** The kube-prometheus-stack release (its CRDs must exist first: pass it in dependsOn). */
  readonly releaseName: string;
  /** The namespaces the rules and dashboards select: the stack's services namespace among them. */
  readonly namespaces: AlertingNamespaces;
  /** The stack's maintenance window, which an info alert announces a day ahead. */
  readonly maintenance?: MaintenanceWindow;
  /** Extra PodMonitors and ServiceMonitors (exporters of components created before the CRDs). */
  readonly monitors?: readonly {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string };
  }[];
}

/**
 * What the monitoring stack loads from this repository: the PrometheusRules generated from the
 * service catalog's SLOs and thresholds, and the Grafana dashboards as ConfigMaps.
 */
export class ObservabilityContent extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: ObservabilityContentArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('aia:platform:ObservabilityContent', name, {}, opts);
    for (const rule of prometheusRuleObjects(args.stack, args.releaseName, {
      namespaces: args.namespaces,
      maintenance: args.maintenance,
    })) {
      new k8s.apiextensions.CustomResource(
        `${name}-rules-${rule.metadata.name}`,
        { ...rule, metadata: { ...rule.metadata, namespace: args.namespace } },
        { parent: this },
      );
    }
    for (const configMap of dashboardConfigMaps(args.stack, undefined, args.namespaces.services)) {
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard-${configMap.metadata.name}`,
        { ...configMap, metadata: { ...configMap.metadata, namespace: args.namespace } },
        { parent: this },
      );
    }
    for (const monitor of args.monitors ?? []) {
      new k8s.apiextensions.CustomResource(
        `${name}-${monitor.kind.toLowerCase()}-${monitor.metadata.name}`,
        monitor,
        {
          parent: this,
        },
      );
    }
    this.registerOutputs({});
  }
}
