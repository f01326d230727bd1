import type { ServiceName } from '../../services/catalog.js';

/**
 * One real read per service through the gateway, each within the `viewer` role's scopes, so one
 * token of that role can run them all: an answer proves the route, the caller's token, the
 * upstream and its data store end to end. Keyed by service, so a service added to the catalog
 * without a call here fails the type check.
 */
export const SMOKE_CALLS: Readonly<Record<ServiceName, string>> = {
  'aia-api': '/v1/whoami',
  'economic-governor': '/v1/ledger/ledgers',
  'agent-orchestrator': '/v1/agents',
  'dkg-manager': '/v1/graph/skills',
  'performance-tracker': '/v1/performance/epochs',
  'venture-discovery': '/v1/ventures/sources',
};

/** The scopes {@link SMOKE_CALLS} need together (the `viewer` role holds them all). */
export const SMOKE_SCOPES = [
  'agents:read',
  'dkg:read',
  'ledger:read',
  'performance:read',
  'ventures:read',
] as const;
