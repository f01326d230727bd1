import type { PolicyResource } from '@pulumi/policy';

const INSTANCE_TYPE = 'gcp:sql/databaseInstance:DatabaseInstance';

/** A Cloud SQL instance of the plan, as the connection rules need it. */
export interface SqlInstance {
  readonly resource: PolicyResource;
  readonly name: string;
  /** `project:region:name`, what the services' CLOUD_SQL_INSTANCE and CLOUD_SQL_READ_INSTANCE hold. */
  readonly connectionName: string;
  readonly region: string | undefined;
  /** The instance it replicates, for a replica. */
  readonly master: string | undefined;
  /** Its `max_connections` flag; undefined when left to Cloud SQL's default. */
  readonly maxConnections: number | undefined;
  /** Its `superuser_reserved_connections` flag, else PostgreSQL's default 3. */
  readonly superuserReserved: number;
}

interface InstanceProps {
  readonly name?: string;
  readonly project?: string;
  readonly region?: string;
  readonly connectionName?: unknown;
  readonly masterInstanceName?: string;
  readonly settings?: { readonly databaseFlags?: { name?: string; value?: string }[] };
}

/** The Cloud SQL instances of the plan. */
export function sqlInstances(resources: readonly PolicyResource[]): SqlInstance[] {
  return resources
    .filter((resource) => resource.type === INSTANCE_TYPE)
    .map((resource) => {
      const props = resource.props as InstanceProps;
      const name = props.name ?? resource.name;
      const flag = (flagName: string) => {
        const value = props.settings?.databaseFlags?.find((f) => f.name === flagName)?.value;
        return value === undefined ? undefined : Number(value);
      };
      return {
        resource,
        name,
        connectionName:
          typeof props.connectionName === 'string'
            ? props.connectionName
            : `${props.project}:${props.region}:${name}`,
        region: props.region,
        master: props.masterInstanceName || undefined,
        maxConnections: flag('max_connections'),
        superuserReserved: flag('superuser_reserved_connections') ?? 3,
      };
    });
}

/**
 * The instance a connection name names. A value the plan does not know yet (a preview, before the
 * instance exists) names the serving primary when there is exactly one instance replicating none.
 */
export function instanceNamed(
  instances: readonly SqlInstance[],
  connectionName: string | undefined,
  { primaryWhenUnknown }: { readonly primaryWhenUnknown: boolean },
): SqlInstance | undefined {
  const exact = instances.find((instance) => instance.connectionName === connectionName);
  if (exact || !primaryWhenUnknown) return exact;
  const primaries = instances.filter((instance) => instance.master === undefined);
  return primaries.length === 1 ? primaries[0] : undefined;
}
