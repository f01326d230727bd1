/**
 * Every scope a route of the platform checks (`requireScopes`, or a `scopes.has` that widens what
 * a caller may do), and the gateway's own. roles.test.ts reads the services' sources and fails
 * when one checks a scope missing here, or when a scope here is checked nowhere.
 */
export const PLATFORM_SCOPES = [
  'agents:read',
  'agents:write',
  /** Acts on every agent and task tree, not only the caller's own. */
  'agents:admin',
  'dkg:read',
  'dkg:write',
  'governance:read',
  /** Registers voter commitments, opens proposals and votes (AIA_GOV governance). */
  'governance:write',
  'ledger:read',
  'ledger:write',
  'performance:read',
  /** Holds and releases the performance tracker's redistribution epochs. */
  'performance:admin',
  'ventures:read',
  /** Adds and changes discovery sources, starts runs, gives feedback on opportunities. */
  'ventures:write',
  /** Treasury operations and privileged accounts. */
  'treasury:admin',
  /** Pays reward distributions from the reward pool, nothing else of the treasury's. */
  'rewards:distribute',
  /** Creates machine clients at the gateway (`POST /v1/auth/clients`). */
  'identities:admin',
] as const;

export type PlatformScope = (typeof PLATFORM_SCOPES)[number];

const READS = PLATFORM_SCOPES.filter((scope) => scope.endsWith(':read'));

/**
 * What each role may do, as the scopes its tokens carry. A role is a name for a set of scopes:
 * tokens carry scopes, never roles, so services need to know nothing about roles.
 */
export const ROLES = {
  /** Reads everything, changes nothing. */
  viewer: READS,
  /** Registers and runs agents and their tasks (A2A included), and reads everything. */
  'agent-operator': [...READS, 'agents:write'],
  /**
   * Moves tokens and runs the treasury, and reads everything. Takes part in governance too: the
   * treasury's AIA_GOV holders are who propose and vote, and what passes moves treasury funds.
   */
  treasurer: [...READS, 'ledger:write', 'treasury:admin', 'rewards:distribute', 'governance:write'],
  /** Everything. */
  administrator: PLATFORM_SCOPES,
} as const satisfies Record<string, readonly PlatformScope[]>;

export type RoleName = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export const isRole = (name: string): name is RoleName => Object.hasOwn(ROLES, name);

export const isPlatformScope = (scope: string): scope is PlatformScope =>
  (PLATFORM_SCOPES as readonly string[]).includes(scope);

/** The scopes of `role`, sorted. */
export const scopesOfRole = (role: RoleName): readonly PlatformScope[] => [...ROLES[role]].sort();
