import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { hardeningPolicies } from './gcp/hardening.js';
import { gcpPolicies } from './gcp/index.js';
import { exposurePolicies } from './kubernetes/exposure.js';
import { kubernetesPolicies } from './kubernetes/index.js';
import { platformPolicies } from './platform/index.js';

/** Every policy of the pack, by area: Google Cloud, Kubernetes, the platform contract. */
export const allPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ...gcpPolicies,
  ...kubernetesPolicies,
  ...platformPolicies,
  // Hardening a security reviewer asks for (docs/security.md).
  ...hardeningPolicies,
  ...exposurePolicies,
];
