import type { ResourceValidationPolicy } from '@pulumi/policy';
import { resourceNameOf } from './resource-name.js';

/** Labels every labelable resource carries unless the pack config lists others. */
const DEFAULT_REQUIRED_LABELS: readonly string[] = ['owner', 'environment', 'service'];

/**
 * Where each labelable Google Cloud type keeps its labels, as a dotted path into its inputs.
 * Types without labels in @pulumi/gcp 9.x (Network, Subnetwork, Firewall, Router, service
 * accounts, IAM members, secret versions…) are absent and never flagged.
 */
export const LABEL_LOCATIONS: Readonly<Record<string, string>> = {
  'gcp:artifactregistry/repository:Repository': 'labels',
  'gcp:bigquery/dataset:Dataset': 'labels',
  'gcp:cloudrunv2/service:Service': 'labels',
  'gcp:compute/address:Address': 'labels',
  'gcp:compute/disk:Disk': 'labels',
  'gcp:compute/forwardingRule:ForwardingRule': 'labels',
  'gcp:compute/globalAddress:GlobalAddress': 'labels',
  'gcp:compute/globalForwardingRule:GlobalForwardingRule': 'labels',
  'gcp:compute/instance:Instance': 'labels',
  'gcp:compute/instanceTemplate:InstanceTemplate': 'labels',
  'gcp:container/cluster:Cluster': 'resourceLabels',
  'gcp:container/nodePool:NodePool': 'nodeConfig.resourceLabels',
  'gcp:dns/managedZone:ManagedZone': 'labels',
  'gcp:kms/cryptoKey:CryptoKey': 'labels',
  'gcp:pubsub/subscription:Subscription': 'labels',
  'gcp:pubsub/topic:Topic': 'labels',
  'gcp:redis/cluster:Cluster': 'labels',
  'gcp:redis/instance:Instance': 'labels',
  'gcp:secretmanager/secret:Secret': 'labels',
  'gcp:sql/databaseInstance:DatabaseInstance': 'settings.userLabels',
  'gcp:storage/bucket:Bucket': 'labels',
};

function valueAt(inputs: Record<string, unknown>, path: string): unknown {
  let value: unknown = inputs;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export const requiredLabels: ResourceValidationPolicy = {
  name: 'gcp-required-labels',
  description:
    'Every labelable Google Cloud resource carries the owner, environment and service labels.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      requiredLabels: {
        type: 'array',
        items: { type: 'string' },
        default: [...DEFAULT_REQUIRED_LABELS],
        description: 'Label keys every labelable resource must carry with a non-empty value.',
      },
    },
  },
  validateResource: (args, report) => {
    const path = LABEL_LOCATIONS[args.type];
    if (!path) return args.notApplicable(`${args.type} has no labels`);
    const required =
      args.getConfig<{ requiredLabels?: string[] }>().requiredLabels ?? DEFAULT_REQUIRED_LABELS;
    const labels = valueAt(args.props, path);
    const present = (key: string) => {
      const value = typeof labels === 'object' && labels !== null ? Reflect.get(labels, key) : '';
      return typeof value === 'string' && value !== '';
    };
    const missing = required.filter((key) => !present(key));
    if (missing.length === 0) return;
    report(
      `${args.type} '${resourceNameOf(args.props, args)}' lacks the required label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: set ${missing.map((key) => `${path}.${key}`).join(', ')} (every labelable resource carries ${required.join(', ')}).`,
    );
  },
};

export const labelPolicies: ResourceValidationPolicy[] = [requiredLabels];
