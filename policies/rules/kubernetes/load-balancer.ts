import type { ResourceValidationPolicy } from '@pulumi/policy';
import { describe, type Metadata } from './objects.js';

const BACKEND_CONFIG = 'kubernetes:cloud.google.com/v1:BackendConfig';

/**
 * The services' readiness endpoint (services/platform/health.ts): it fails while a dependency
 * such as Redis does, on every pod at once.
 */
const READINESS_PATHS = ['/readyz'];

interface BackendConfigInputs {
  readonly metadata?: Metadata;
  readonly spec?: { readonly healthCheck?: { readonly requestPath?: string } };
}

export const loadBalancerChecksLiveness: ResourceValidationPolicy = {
  name: 'k8s-load-balancer-checks-liveness',
  description:
    "A GKE load balancer's health check asks liveness, not readiness: a dependency's blip must not mark every backend unhealthy at once.",
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (args.type !== BACKEND_CONFIG) return;
    const { metadata, spec } = args.props as BackendConfigInputs;
    const path = spec?.healthCheck?.requestPath;
    if (path && READINESS_PATHS.includes(path)) {
      report(
        `${describe('BackendConfig', metadata, args.name)} health-checks the readiness endpoint ${path}, so one dependency's blip takes every backend out of the load balancer at once: set spec.healthCheck.requestPath to the liveness endpoint /healthz (Kubernetes keeps using ${path} for readiness).`,
      );
    }
  },
};
