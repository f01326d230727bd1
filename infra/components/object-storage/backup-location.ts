import type * as gcp from '@pulumi/gcp';

/**
 * Where the backup buckets (Neo4j exports, Cloud SQL's logical exports) keep their objects: never
 * only in the stack's region, so losing the region does not take the backups with it.
 */
export interface BackupLocation {
  /** A dual-region (`NAM4`), a multi-region (`US`), or a region when configured so. */
  readonly location: string;
  /** The two regions of a configurable dual-region (`location` is then their multi-region). */
  readonly dataLocations?: readonly string[];
  /**
   * `ASYNC_TURBO` (every new object in both regions within 15 minutes) on dual-regions, where
   * Cloud Storage offers it; unset elsewhere (default replication, no stated bound per object).
   */
  readonly rpo?: 'ASYNC_TURBO';
}

/** Predefined dual-regions and their two regions, in the order Cloud Storage names them. */
export const PREDEFINED_DUAL_REGIONS: Readonly<Record<string, readonly [string, string]>> = {
  NAM4: ['us-central1', 'us-east1'],
  EUR4: ['europe-north1', 'europe-west4'],
  ASIA1: ['asia-northeast1', 'asia-northeast2'],
};

/** Multi-regions by the prefix of the regions on their continent. */
const MULTI_REGIONS: readonly (readonly [prefix: string, location: string])[] = [
  ['us-', 'US'],
  ['europe-', 'EU'],
  ['asia-', 'ASIA'],
];

const REGION = /^[a-z]+-[a-z]+\d$/;

/** True when `location` is one region only: its objects go with the region. */
export const isSingleRegion = (location: string): boolean => REGION.test(location.toLowerCase());

export interface BackupLocationArgs {
  /** The stack's region (`gcp:region`). */
  readonly region: string;
  /** `cloudSql.disasterRecovery.region`, when the stack has a disaster recovery replica. */
  readonly disasterRecoveryRegion?: string;
  /** `backups.location`, when the stack file sets one: used as given. */
  readonly location?: string;
  /** `backups.dataLocations`: the two regions of a configurable dual-region. */
  readonly dataLocations?: readonly string[];
}

/**
 * The backup buckets' location. Set in the stack file: used as given (upper case; a configurable
 * dual-region with its two regions gets turbo replication). Otherwise derived: the predefined
 * dual-region made of the stack's region and the disaster recovery region when there is one (so
 * the backups sit where the promoted replica will run), else the multi-region of the stack's
 * continent. Throws, saying what to set, for a region on no continent with a multi-region.
 */
export function backupLocation(args: BackupLocationArgs): BackupLocation {
  if (args.location !== undefined) {
    const location = args.location.toUpperCase();
    if (args.dataLocations !== undefined) {
      return {
        location,
        dataLocations: args.dataLocations.map((region) => region.toUpperCase()),
        rpo: 'ASYNC_TURBO',
      };
    }
    return location in PREDEFINED_DUAL_REGIONS ? { location, rpo: 'ASYNC_TURBO' } : { location };
  }
  const pair = [args.region, args.disasterRecoveryRegion].sort().join(',');
  const predefined = Object.entries(PREDEFINED_DUAL_REGIONS).find(
    ([, regions]) => [...regions].sort().join(',') === pair,
  );
  if (predefined) return { location: predefined[0], rpo: 'ASYNC_TURBO' };
  const multi = MULTI_REGIONS.find(([prefix]) => args.region.startsWith(prefix));
  if (!multi) {
    throw new Error(
      `no multi-region holds ${args.region}: set aia-platform:backups.location to a dual-region or multi-region outside the stack's region, so the backups survive losing it`,
    );
  }
  return { location: multi[1] };
}

/** The stack configuration's backup location (`backups`, `region`, the DR region). */
export const configuredBackupLocation = (config: {
  readonly region: string;
  readonly cloudSql: { readonly disasterRecovery?: { readonly region: string } };
  readonly backups: { readonly location?: string; readonly dataLocations?: readonly string[] };
}): BackupLocation =>
  backupLocation({
    region: config.region,
    disasterRecoveryRegion: config.cloudSql.disasterRecovery?.region,
    location: config.backups.location,
    dataLocations: config.backups.dataLocations,
  });

/** The location arguments of a backup bucket. */
export function backupBucketLocation(
  location: BackupLocation,
): Pick<gcp.storage.BucketArgs, 'location' | 'customPlacementConfig' | 'rpo'> {
  return {
    location: location.location,
    ...(location.dataLocations
      ? { customPlacementConfig: { dataLocations: [...location.dataLocations] } }
      : {}),
    ...(location.rpo ? { rpo: location.rpo } : {}),
  };
}

/**
 * The suffix of a backup bucket's name: the location in lower case (`nam4`, `us`), or the two
 * regions of a configurable dual-region. A bucket's location cannot change, so a new location is
 * a new bucket, and its own name keeps it from colliding with the old one while backups are
 * copied over (docs/restore-drill.md, Moving the backup buckets).
 */
export const backupLocationSuffix = (location: BackupLocation): string =>
  (location.dataLocations ? location.dataLocations.join('-') : location.location).toLowerCase();
