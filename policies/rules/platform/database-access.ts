import type { StackValidationPolicy } from '@pulumi/policy';
import { serviceDefinition } from '../../../services/catalog.js';
import { providedEnv } from './env-contract.js';
import { serviceDeployments } from './workloads.js';

/** What a service needs to reach its database through the Cloud SQL connector as itself. */
const CONNECTOR = ['CLOUD_SQL_INSTANCE', 'DATABASE_USER', 'DATABASE_NAME'] as const;
const IAM_AUTHENTICATION = 'cloudsql.iam_authentication';

interface DatabaseFlag {
  readonly name?: string;
  readonly value?: string;
}

/**
 * On a deployed stack each service logs in to PostgreSQL as its own IAM database user through the
 * Cloud SQL connector: no password database URL reaches a pod (a password user is a member of
 * cloudsqlsuperuser with CREATEROLE, so its leak opens every database), every service using
 * PostgreSQL is given the connector's variables, and the instance accepts IAM logins.
 */
export const databaseIamAuthentication: StackValidationPolicy = {
  name: 'platform-database-iam-authentication',
  description:
    'Services reach Cloud SQL as their own IAM database user through the connector: no password DATABASE_URL, IAM authentication on.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, reportViolation) => {
    const deployments = serviceDeployments(resources);
    for (const deployment of deployments) {
      if (!serviceDefinition(deployment.service).dataStores.includes('postgres')) continue;
      const { literals, referenced } = providedEnv(deployment, resources);
      const has = (key: string) => literals.has(key) || referenced.has(key);
      if (has('DATABASE_URL')) {
        reportViolation(
          `${deployment.label} (service ${deployment.service}) receives DATABASE_URL, a password login: give it CLOUD_SQL_INSTANCE, DATABASE_USER (its IAM database user) and DATABASE_NAME instead, so it connects as itself through the Cloud SQL connector.`,
          deployment.resource.urn,
        );
      }
      const missing = CONNECTOR.filter((key) => !has(key));
      if (missing.length > 0) {
        reportViolation(
          `${deployment.label} (service ${deployment.service}) uses PostgreSQL but is not given ${missing.join(', ')}: render the Cloud SQL connector variables from its IAM database user.`,
          deployment.resource.urn,
        );
      }
    }
    if (deployments.length === 0) return;
    for (const instance of resources) {
      if (instance.type !== 'gcp:sql/databaseInstance:DatabaseInstance') continue;
      const props = instance.props as {
        masterInstanceName?: string;
        settings?: { databaseFlags?: DatabaseFlag[] };
      };
      if (props.masterInstanceName) continue;
      const flag = props.settings?.databaseFlags?.find((f) => f.name === IAM_AUTHENTICATION);
      if (flag?.value !== 'on') {
        reportViolation(
          `Cloud SQL instance ${instance.name} does not accept IAM logins: set the database flag ${IAM_AUTHENTICATION}=on, which the services' IAM database users need.`,
          instance.urn,
        );
      }
    }
  },
};
