import { serviceIdentityEnv } from '../platform/service-identity/env.js';
import type { ServiceCalls } from './types.js';
import { upstreamEnv } from './upstreams.js';

/**
 * Env fragment of a service that calls others: each callee's optional URL
 * (`ECONOMIC_GOVERNOR_URL`; loopback at its catalog port by default, its in-cluster address in the
 * stacks) and the caller's own `SERVICE_SIGNING_KEY`. `defineService` refuses a definition whose
 * `calls` name a callee its env does not read.
 *
 * @example
 * const calls = { 'economic-governor': ['ledger:read', 'ledger:write'] } as const;
 * const env = serviceEnv({ ...postgresEnv, ...callerEnv(calls) });
 * export const agentOrchestrator = defineService({ name: 'agent-orchestrator', env, calls, ... });
 */
export const callerEnv = <const C extends ServiceCalls>(calls: C) => ({
  ...upstreamEnv(Object.keys(calls) as (keyof C & string)[]),
  ...serviceIdentityEnv,
});

/** Throws, saying what to add, when a service with `calls` lacks a variable of `callerEnv(calls)`. */
export function checkCallerEnv(
  name: string,
  env: { readonly shape: object },
  calls: ServiceCalls,
): void {
  if (Object.keys(calls).length === 0) return;
  const missing = Object.keys(callerEnv(calls)).filter((key) => !(key in env.shape));
  if (missing.length > 0)
    throw new Error(
      `${name} calls ${Object.keys(calls).join(', ')} but its env schema lacks ${missing.join(', ')}: add ...callerEnv(calls) to it`,
    );
}
