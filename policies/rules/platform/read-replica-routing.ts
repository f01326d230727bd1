import type { StackValidationPolicy } from '@pulumi/policy';
import { serviceDefinition } from '../../../services/catalog.js';
import { providedEnv } from './env-contract.js';
import { instanceNamed, sqlInstances } from './sql-instances.js';
import { serviceDeployments } from './workloads.js';

/**
 * A service given a read instance (`CLOUD_SQL_READ_INSTANCE`) reads a replica of its own primary in
 * the primary's region: a copy of its data close by, never the cross-region disaster recovery
 * replica (the copy to promote, not to load) nor another instance. Only services whose catalog
 * entry sizes a read pool get one, so the connection arithmetic counts it.
 */
export const readReplicaRouting: StackValidationPolicy = {
  name: 'platform-read-replica-routing',
  description:
    "A service's read instance is an in-region read replica of its own primary, and its catalog entry sizes the read pool.",
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, reportViolation) => {
    const instances = sqlInstances(resources);
    for (const deployment of serviceDeployments(resources)) {
      const { literals } = providedEnv(deployment, resources);
      const read = literals.get('CLOUD_SQL_READ_INSTANCE');
      // Not known before the instance exists (a first preview): nothing to compare yet.
      if (read === undefined) continue;
      const where = `${deployment.label} (service ${deployment.service})`;
      if (serviceDefinition(deployment.service).database?.readPoolSize === undefined) {
        reportViolation(
          `${where} is given CLOUD_SQL_READ_INSTANCE, but its catalog entry has no database.readPoolSize: size the read pool in services/${deployment.service}/definition.ts, so the connection arithmetic counts it.`,
          deployment.resource.urn,
        );
      }
      const primary = instanceNamed(instances, literals.get('CLOUD_SQL_INSTANCE'), {
        primaryWhenUnknown: true,
      });
      const replica = instanceNamed(instances, read, { primaryWhenUnknown: false });
      if (!replica) {
        reportViolation(
          `${where} reads from ${read}, which is no Cloud SQL instance of this stack: point CLOUD_SQL_READ_INSTANCE at the in-region read replica (sql.replicaConnectionName).`,
          deployment.resource.urn,
        );
        continue;
      }
      if (!primary || replica.master !== primary.name) {
        reportViolation(
          `${where} reads from ${replica.name}, which is not a read replica of its primary ${primary?.name ?? '(unknown)'}: its reads would see other data. Point CLOUD_SQL_READ_INSTANCE at a replica of ${primary?.name ?? 'the primary'}.`,
          deployment.resource.urn,
        );
        continue;
      }
      if (replica.region !== primary.region) {
        reportViolation(
          `${where} reads from ${replica.name} in ${replica.region}, not the primary's region ${primary.region}: that is the disaster recovery replica, farther away and the copy to promote, not to load. Point CLOUD_SQL_READ_INSTANCE at the in-region read replica (aia-platform:cloudSql.readReplica).`,
          deployment.resource.urn,
        );
      }
    }
  },
};
