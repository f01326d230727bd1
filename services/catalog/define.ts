import { z } from 'zod';
import {
  alwaysCheck,
  authEnv,
  endpointWhenTracing,
  httpEnv,
  postgresConnection,
  rateLimitEnv,
  redisCaWithTls,
  redisEnv,
  requiredWhenDeployed,
} from '../platform/env.js';
import { eventBusConfigured, eventBusEnv } from '../platform/events/env.js';
import { checkCallerEnv } from './caller-env.js';
import { alertsWith, commandFor, DEFAULT_ROLLBACK, DEFAULT_SLO } from './defaults.js';
import type { AlertThresholds, DataStore, ServiceCalls, ServiceDefinition } from './types.js';

/**
 * A service's env schema: what every service reads (HTTP, JWT, rate limiting, Redis — required
 * on deployed stacks —, the event bus) plus `own`.
 */
export const serviceEnv = <Own extends z.ZodRawShape>(own: Own) =>
  z
    .object({ ...httpEnv, ...authEnv, ...rateLimitEnv, ...redisEnv, ...eventBusEnv, ...own })
    .superRefine(requiredWhenDeployed('REDIS_URL'), alwaysCheck)
    .superRefine(redisCaWithTls, alwaysCheck)
    .superRefine(endpointWhenTracing, alwaysCheck)
    .superRefine(eventBusConfigured, alwaysCheck)
    // Exactly one way to PostgreSQL for a service that uses it (a URL or the Cloud SQL connector).
    .superRefine('DATABASE_URL' in own ? postgresConnection : () => {}, alwaysCheck)
    // A caller's own identity (`callerEnv`): its key may be left out locally, never when deployed.
    .superRefine(
      'SERVICE_SIGNING_KEY' in own ? requiredWhenDeployed('SERVICE_SIGNING_KEY') : () => {},
      alwaysCheck,
    );

type ServiceSpec<
  Env extends z.ZodObject,
  Stores extends readonly DataStore[],
  Calls extends ServiceCalls,
> = Omit<
  ServiceDefinition<Env, Stores, Calls>,
  | 'command'
  | 'slo'
  | 'alerts'
  | 'rollback'
  | 'metrics'
  | 'migrations'
  | 'exposure'
  | 'rollout'
  | 'calls'
> & {
  /** Default none: the service calls no other service. */
  readonly calls?: Calls;
  readonly metrics?: ServiceDefinition['metrics'];
  /** Default `internal`: only the gateway is public. */
  readonly exposure?: ServiceDefinition['exposure'];
  /** Default `rolling`. */
  readonly rollout?: ServiceDefinition['rollout'];
  /** Default false: the service has no schema of its own yet. */
  readonly migrations?: boolean;
  /** Thresholds this service adds to the seed's defaults. */
  readonly extraAlerts?: Partial<AlertThresholds>;
};

/** A catalog entry with the seed's SLO, thresholds and rollback triggers and the image command. */
export const defineService = <
  Env extends z.ZodObject,
  const Stores extends readonly DataStore[],
  const Calls extends ServiceCalls = Record<never, never>,
>({
  extraAlerts = {},
  metrics = [],
  migrations = false,
  exposure = 'internal',
  rollout = 'rolling',
  calls = {} as Calls,
  ...spec
}: ServiceSpec<Env, Stores, Calls>): ServiceDefinition<Env, Stores, Calls> => {
  checkCallerEnv(spec.name, spec.env, calls);
  if (spec.dataStores.includes('postgres') !== (spec.database !== undefined)) {
    throw new Error(
      `${spec.name}: database (its pool sizes) goes with postgres among its data stores, and only there`,
    );
  }
  return {
    ...spec,
    metrics,
    migrations,
    exposure,
    rollout,
    calls,
    command: commandFor(spec.name),
    slo: DEFAULT_SLO,
    alerts: alertsWith(extraAlerts),
    rollback: DEFAULT_ROLLBACK,
  };
};
