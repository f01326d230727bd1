import type { StackValidationPolicy } from '@pulumi/policy';
import { serviceDefinition } from '../../../services/catalog.js';
import { serviceDeployments } from './workloads.js';

/** Each deployed service's container asks for the requests and limits the catalog gives it on this stack. */
export const resourcesMatchCatalog: StackValidationPolicy = {
  name: 'platform-resources-match-catalog',
  description:
    'Requests and limits of each deployed service match the service catalog for the stack.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, reportViolation) => {
    for (const deployment of serviceDeployments(resources)) {
      if (!deployment.stack) continue;
      const expected = serviceDefinition(deployment.service).resources[deployment.stack];
      const container =
        deployment.containers.find((c) => c.name === deployment.service) ??
        deployment.containers[0];
      const actual = container?.resources ?? {};
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory'] as const) {
          const want = expected[kind][resource];
          const have = actual[kind]?.[resource];
          if (have !== want) {
            reportViolation(
              `${deployment.label}: ${kind}.${resource} is ${have ?? 'unset'} but the service catalog gives ${deployment.service} ${want} on ${deployment.stack}: render resources from the catalog.`,
              deployment.resource.urn,
            );
          }
        }
      }
    }
  },
};
