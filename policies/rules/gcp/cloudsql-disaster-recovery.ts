import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';

const INSTANCE = 'gcp:sql/databaseInstance:DatabaseInstance';

interface Instance {
  readonly name?: string;
  readonly region?: string;
  readonly masterInstanceName?: string;
}

const instancesOf = (resources: readonly PolicyResource[]) =>
  resources
    .filter((resource) => resource.type === INSTANCE)
    .map((resource) => ({ resource, props: resource.props as Instance }));

/**
 * Every Cloud SQL primary has a read replica in another region, to promote when its own region
 * is lost (`cloudSql.disasterRecovery`, docs/runbooks/incidents/lost-region.md). A REGIONAL
 * instance survives a zone, not a region; backups are regional too unless copied. Advisory on
 * staging, which is rebuilt rather than recovered.
 */
export const cloudSqlCrossRegionReplica: StackValidationPolicy = {
  name: 'gcp-cloudsql-cross-region-replica',
  description:
    'Every Cloud SQL primary has a read replica in another region, to promote when its region is lost.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const instances = instancesOf(resources);
    for (const { resource, props } of instances) {
      if (props.masterInstanceName) continue;
      const elsewhere = instances.some(
        (candidate) =>
          candidate.props.masterInstanceName === props.name &&
          candidate.props.region !== undefined &&
          candidate.props.region !== props.region,
      );
      if (!elsewhere) {
        report(
          `Cloud SQL instance '${props.name ?? resource.name}' has no replica outside ${props.region ?? 'its region'}: losing the region loses the database until it returns; set aia-platform:cloudSql.disasterRecovery.region to another region.`,
          resource.urn,
        );
      }
    }
  },
};
