import type { StackValidationPolicy } from '@pulumi/policy';
import { databaseIamAuthentication } from './database-access.js';
import { databaseConnectionsFit } from './database-connections.js';
import { serviceEnvContract } from './env-contract.js';
import { maintenanceWindowAgrees } from './maintenance-window.js';
import { alertMetadata, serviceObservability } from './observability.js';
import { readReplicaRouting } from './read-replica-routing.js';
import { resourcesMatchCatalog } from './resources-match-catalog.js';
import { tokenSigningKeyIssuerOnly } from './token-keys.js';

/** The platform contract: deployed services agree with the service catalog. */
export const platformPolicies: StackValidationPolicy[] = [
  serviceEnvContract,
  resourcesMatchCatalog,
  serviceObservability,
  alertMetadata,
  tokenSigningKeyIssuerOnly,
  databaseIamAuthentication,
  databaseConnectionsFit,
  readReplicaRouting,
  maintenanceWindowAgrees,
];
