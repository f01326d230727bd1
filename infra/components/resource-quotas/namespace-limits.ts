import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { NamespaceBudget } from './budget.js';
import { limitRangeSpec } from './limit-range.js';
import { LIMIT_RANGE_NAME, RESOURCE_QUOTA_NAME, resourceQuotaSpec } from './resource-quota.js';

export interface NamespaceLimitsArgs {
  /** Concern → the namespace and its budget at max scale. Keyed like `PlatformNamespaces`. */
  readonly namespaces: Readonly<
    Record<string, { readonly name: pulumi.Input<string>; readonly budget: NamespaceBudget }>
  >;
}

/** A ResourceQuota and a LimitRange in each namespace, sized from its budget. */
export class NamespaceLimits extends pulumi.ComponentResource {
  constructor(name: string, args: NamespaceLimitsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:NamespaceLimits', name, {}, opts);
    for (const [concern, { name: namespace, budget }] of Object.entries(args.namespaces)) {
      const labels = { 'app.kubernetes.io/part-of': 'aia-platform' };
      const limitRange = new k8s.core.v1.LimitRange(
        `${name}-${concern}-limit-range`,
        {
          metadata: { name: LIMIT_RANGE_NAME, namespace, labels },
          spec: limitRangeSpec(budget.largestContainer),
        },
        { parent: this },
      );
      new k8s.core.v1.ResourceQuota(
        `${name}-${concern}-quota`,
        {
          metadata: { name: RESOURCE_QUOTA_NAME, namespace, labels },
          spec: resourceQuotaSpec(budget),
        },
        // Defaults first: with the quota alone, a pod declaring no resources would be refused.
        { parent: this, dependsOn: [limitRange] },
      );
    }
    this.registerOutputs({});
  }
}
