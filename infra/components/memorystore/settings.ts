import type * as gcp from '@pulumi/gcp';

export type RedisTier = 'BASIC' | 'STANDARD_HA';
export type Weekday =
  | 'MONDAY'
  | 'TUESDAY'
  | 'WEDNESDAY'
  | 'THURSDAY'
  | 'FRIDAY'
  | 'SATURDAY'
  | 'SUNDAY';

/**
 * Replica settings per tier. STANDARD_HA: one replica in another zone with automatic failover;
 * read replicas stay off, since once on they can never be turned off and need nodes of 5 GB or
 * more. BASIC has no replica and accepts neither field.
 */
export const redisReplication = (
  tier: RedisTier,
): Pick<gcp.redis.InstanceArgs, 'replicaCount' | 'readReplicasMode'> =>
  tier === 'STANDARD_HA' ? { replicaCount: 1, readReplicasMode: 'READ_REPLICAS_DISABLED' } : {};

/** A weekly one-hour maintenance window starting on the hour, UTC. */
export const redisMaintenancePolicy = (maintenance: {
  readonly day: Weekday;
  readonly hour: number;
}): gcp.types.input.redis.InstanceMaintenancePolicy => ({
  weeklyMaintenanceWindows: [
    {
      day: maintenance.day,
      startTime: { hours: maintenance.hour, minutes: 0, seconds: 0, nanos: 0 },
    },
  ],
});

/** Memorystore instance IDs: lower-case letters, digits and hyphens, 1–40, starting with a letter. */
const INSTANCE_ID = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** The instance ID for a prefix, `<prefix>-redis`; throws, saying why, when Memorystore would refuse it. */
export function redisInstanceId(prefix: string): string {
  const id = `${prefix}-redis`;
  if (!INSTANCE_ID.test(id)) {
    throw new Error(
      `Redis instance ID "${id}" is invalid: Memorystore accepts 1 to 40 lower-case letters, digits and "-", starting with a letter`,
    );
  }
  return id;
}

/** `rediss://:<auth>@<host>:<port>` (TLS), the AUTH string URL-encoded. */
export const redisUrl = (parts: {
  readonly authString: string;
  readonly host: string;
  readonly port: number;
}) => `rediss://:${encodeURIComponent(parts.authString)}@${parts.host}:${parts.port}`;
