import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { noArchivedSoftware } from './archived-software.js';
import { containerProbes, containerResources, pinnedImages } from './containers.js';
import { customResourcesServed, helmCrdsManaged, pinnedChartsKnown } from './crd-management.js';
import { pinnedHelmCharts } from './helm.js';
import { noHostNamespaces, noHostPathVolumes } from './host-access.js';
import { loadBalancerChecksLiveness } from './load-balancer.js';
import { namespaceDefaultDeny, noLoadBalancerServices } from './network.js';
import { namespaceQuotaFits } from './quotas.js';
import { regionalDisksForSingleReplicas } from './regional-disks.js';
import { noPlaintextSecrets } from './secrets.js';
import {
  dropAllCapabilities,
  noPrivilegeEscalation,
  readOnlyRootFilesystem,
  runAsNonRoot,
  seccompConfined,
} from './security-context.js';
import { selectorsMatchSomething } from './selector-targets.js';
import { deploymentVerticalAutoscaler } from './vertical-autoscaling.js';
import { deploymentDisruptionBudget, productionAutoscaling } from './workloads.js';

/** The Kubernetes rules: hardened pods, resilient Deployments, closed networks, safe inputs. */
export const kubernetesPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  containerResources,
  containerProbes,
  pinnedImages,
  runAsNonRoot,
  readOnlyRootFilesystem,
  noPrivilegeEscalation,
  dropAllCapabilities,
  seccompConfined,
  noHostPathVolumes,
  noHostNamespaces,
  deploymentDisruptionBudget,
  productionAutoscaling,
  deploymentVerticalAutoscaler,
  namespaceQuotaFits,
  namespaceDefaultDeny,
  noLoadBalancerServices,
  loadBalancerChecksLiveness,
  noPlaintextSecrets,
  pinnedHelmCharts,
  pinnedChartsKnown,
  helmCrdsManaged,
  customResourcesServed,
  selectorsMatchSomething,
  noArchivedSoftware,
  regionalDisksForSingleReplicas,
];
