import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { baselineEgress, DEFAULT_DENY_EGRESS } from './egress.js';

/** Pod Security Standard a namespace enforces. */
export type PodSecurityLevel = 'restricted' | 'baseline';

export interface NamespaceSpec {
  /** Kubernetes name of the namespace. */
  readonly name: string;
  /** Default `restricted`; operators that need more (for example a database's init) use `baseline`. */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Egress this namespace's pods need besides DNS and the metadata server, by policy name
   * (builders in ./egress.ts). Everything else leaving a pod is denied.
   */
  readonly egress?: Readonly<Record<string, k8s.types.input.networking.v1.NetworkPolicySpec>>;
}

export interface PlatformNamespacesArgs {
  /** Keyed by concern (`services`, `data`, `kafka`, `monitoring`, ...), so adding one renames none. */
  readonly namespaces: Readonly<Record<string, NamespaceSpec>>;
}

/** Labels of a namespace: its Pod Security Standard, enforced, audited and warned. */
export function namespaceLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': 'aia-platform',
    'app.kubernetes.io/managed-by': 'pulumi',
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
  };
}

/**
 * One namespace per concern, each with default-deny ingress and egress NetworkPolicies: nothing
 * reaches a pod unless the workload's own component allows it, and a pod reaches nothing but DNS,
 * the metadata server and the destinations its namespace's `egress` lists, so a compromised pod
 * cannot wander the VPC, the internet or the other namespaces.
 */
export class PlatformNamespaces extends pulumi.ComponentResource {
  /** Concern → namespace name, known once the namespace exists. */
  readonly names: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: PlatformNamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:PlatformNamespaces', name, {}, opts);
    const names: Record<string, pulumi.Output<string>> = {};
    for (const [concern, spec] of Object.entries(args.namespaces)) {
      const namespace = new k8s.core.v1.Namespace(
        `${name}-${concern}`,
        {
          metadata: { name: spec.name, labels: namespaceLabels(spec.podSecurity ?? 'restricted') },
        },
        { parent: this },
      );
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${concern}-default-deny`,
        {
          metadata: { name: 'default-deny-ingress', namespace: namespace.metadata.name },
          spec: { podSelector: {}, policyTypes: ['Ingress'] },
        },
        { parent: this },
      );
      const policies = {
        'default-deny-egress': DEFAULT_DENY_EGRESS,
        ...baselineEgress(),
        ...spec.egress,
      };
      for (const [policy, policySpec] of Object.entries(policies)) {
        new k8s.networking.v1.NetworkPolicy(
          `${name}-${concern}-${policy}`,
          { metadata: { name: policy, namespace: namespace.metadata.name }, spec: policySpec },
          { parent: this },
        );
      }
      names[concern] = namespace.metadata.name;
    }
    this.names = names;
    this.registerOutputs({ names });
  }
}
