/**
 * Connection sizing of a Cloud SQL instance (docs/connections.md). `max_connections` is always set
 * as a flag, never left to Cloud SQL's default for the tier, so the policy pack can check every
 * service's pools at full scale-out against it.
 */

/** What the policy pack reserves on every instance besides the services' pools. */
export const CONNECTION_RESERVE = {
  /** PostgreSQL's default `superuser_reserved_connections`, which the program does not change. */
  superuserReserved: 3,
  /** Operators' sessions: psql, the grant script, the restore drill's ledger checks on a clone. */
  operators: 10,
} as const;

/**
 * Memory budgeted per allowed connection, MiB: a backend's own memory (a few MiB) and a sort or
 * hash at the default `work_mem` (4 MiB), with room for a second.
 */
export const MEBIBYTES_PER_CONNECTION = 10;

/** `db-custom-<vCPUs>-<MiB>` → the MiB; undefined for shared-core and predefined tiers. */
export function memoryMiBOfTier(tier: string): number | undefined {
  const custom = /^db-custom-\d+-(\d+)$/.exec(tier);
  return custom ? Number(custom[1]) : undefined;
}

/**
 * The most connections a tier is given: a third of its memory (Cloud SQL gives another third to
 * `shared_buffers`) at {@link MEBIBYTES_PER_CONNECTION} each. Undefined for tiers whose memory the
 * name does not state.
 */
export function maxConnectionsCeiling(tier: string): number | undefined {
  const memory = memoryMiBOfTier(tier);
  return memory === undefined ? undefined : Math.floor(memory / 3 / MEBIBYTES_PER_CONNECTION);
}

/** PostgreSQL's own default, for tiers whose memory the name does not state. */
const POSTGRES_DEFAULT_MAX_CONNECTIONS = 100;

/**
 * The `max_connections` flag of an instance: `configured` (the stack's
 * `aia-platform:cloudSql.maxConnections`), else the tier's ceiling rounded down to a multiple of 50.
 */
export function maxConnectionsFor(tier: string, configured: number | undefined): number {
  if (configured !== undefined) return configured;
  const ceiling = maxConnectionsCeiling(tier);
  return ceiling === undefined
    ? POSTGRES_DEFAULT_MAX_CONNECTIONS
    : Math.max(25, Math.floor(ceiling / 50) * 50);
}

/**
 * Throws, with a sentence saying why, on a `max_connections` the tier cannot hold: above its
 * ceiling, each connection's memory would crowd out the shared buffers and the page cache.
 */
export function validateMaxConnections(tier: string, configured: number | undefined): void {
  if (configured === undefined) return;
  const ceiling = maxConnectionsCeiling(tier);
  if (ceiling !== undefined && configured > ceiling) {
    throw new Error(
      `maxConnections is ${configured}: tier ${tier} has ${memoryMiBOfTier(tier)} MiB, which holds at most ${ceiling} connections at ${MEBIBYTES_PER_CONNECTION} MiB each in a third of its memory; pick a larger tier or fewer connections`,
    );
  }
}
