import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { gcpPolicies } from './gcp/index.js';
import { kubernetesPolicies } from './kubernetes/index.js';
import { platformPolicies } from './platform/index.js';

/** Every policy of the pack, by area: Google Cloud, Kubernetes, the platform contract. */
export const allPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ...gcpPolicies,
  ...kubernetesPolicies,
  ...platformPolicies,
];
