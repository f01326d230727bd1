/**
 * The names CloudSqlPostgres gives its instances under a prefix (`aia-<stack>`), also the names
 * the configuration refuses to adopt as a primary (config-schema.ts). Cloud SQL instance names
 * are unique in a project and stay reserved for about a week after an instance is deleted.
 */
export interface InstanceNames {
  /** `<prefix>-postgres`, unless the stack adopts another instance as its primary. */
  readonly primary: string;
  /**
   * `<prefix>-postgres-replica-<region>`: the in-region read replica, named after the stack's
   * region, so a stack moved out of a lost region creates its new one while the old one's name is
   * still taken.
   */
  readonly read: string;
  /**
   * `<prefix>-postgres-dr-<region>`: the disaster recovery replica, named after its region, so a
   * stack moved to that region, adopting the promoted replica as its primary
   * (docs/runbooks/incidents/lost-region.md), can create its next one elsewhere under another
   * name. Undefined without `disasterRecoveryRegion`. The longest Google Cloud region
   * (northamerica-northeast1, 23 characters) makes 50 of Cloud SQL's 98.
   */
  readonly disasterRecovery: string | undefined;
}

export function instanceNames(
  prefix: string,
  region: string,
  disasterRecoveryRegion?: string,
): InstanceNames {
  return {
    primary: `${prefix}-postgres`,
    read: `${prefix}-postgres-replica-${region}`,
    disasterRecovery: disasterRecoveryRegion
      ? `${prefix}-postgres-dr-${disasterRecoveryRegion}`
      : undefined,
  };
}
