import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { cloudSqlPolicies } from './cloudsql.js';
import { cloudSqlCrossRegionReplica } from './cloudsql-disaster-recovery.js';
import { cloudSqlLeastPrivilege } from './cloudsql-iam.js';
import { firewallPolicies } from './firewall.js';
import { gkeAccessPolicies } from './gke-access.js';
import { gkeHardeningPolicies } from './gke-hardening.js';
import { labelPolicies } from './labels.js';
import { memorystorePolicies } from './memorystore.js';
import { nodePoolPolicies } from './node-pools.js';
import { storagePolicies } from './storage.js';
import { storageIamPolicies } from './storage-iam.js';

/** Every Google Cloud policy, each `mandatory` unless the stack's pack config says otherwise. */
export const gcpPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ...cloudSqlPolicies,
  cloudSqlLeastPrivilege,
  cloudSqlCrossRegionReplica,
  ...memorystorePolicies,
  ...gkeAccessPolicies,
  ...gkeHardeningPolicies,
  ...nodePoolPolicies,
  ...storagePolicies,
  ...storageIamPolicies,
  ...firewallPolicies,
  ...labelPolicies,
];
