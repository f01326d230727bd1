import type { DatabaseLogin } from './local-data-stores.js';
import type { EndpointMap } from './local-values.js';
import type { Workload } from './rendered-workloads.js';

const CLUSTER_SERVICE = /\/\/([a-z0-9-]+)\.[a-z0-9-]+\.svc\.cluster\.local:\d+/g;

/** Local `host:port` of each stand-in, for {@link StackEndpoints.map}. */
export interface LocalAddresses {
  readonly postgres: string | undefined;
  readonly redis: string;
  readonly otlp: string;
  /** Service name → its local port. */
  readonly services: ReadonlyMap<string, number>;
}

export interface StackEndpoints {
  /** What the local data stores must accept: the stack's logins and Redis AUTH string. */
  readonly stores: { readonly databases: DatabaseLogin[]; readonly redisPassword: string };
  /** The stack's addresses → the local stand-ins'. */
  map(local: LocalAddresses): EndpointMap;
}

/**
 * Reads from the workloads' environments (secrets already replaced by local values) where the
 * stack would reach Cloud SQL, Memorystore, the trace collector and the services themselves,
 * and with which logins. Throws naming the variable when two services disagree on a server.
 */
export function stackEndpoints(workloads: readonly Workload[]): StackEndpoints {
  const databases = new Map<string, DatabaseLogin>();
  const remote = { postgres: new Set<string>(), redis: new Set<string>(), otlp: new Set<string>() };
  let redisPassword = '';
  const services = new Map<string, string[]>();
  for (const { env } of workloads) {
    if (env.DATABASE_URL) {
      const url = new URL(env.DATABASE_URL);
      remote.postgres.add(url.host);
      const user = decodeURIComponent(url.username);
      databases.set(user, {
        user,
        password: decodeURIComponent(url.password),
        database: decodeURIComponent(url.pathname.slice(1)),
      });
    }
    if (env.REDIS_URL) {
      const url = new URL(env.REDIS_URL);
      remote.redis.add(url.host);
      redisPassword = decodeURIComponent(url.password);
    }
    if (env.OTEL_EXPORTER_OTLP_ENDPOINT)
      remote.otlp.add(new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT).host);
    for (const value of Object.values(env)) {
      for (const [whole, name = ''] of value.matchAll(CLUSTER_SERVICE))
        services.set(name, [...(services.get(name) ?? []), whole.slice(2)]);
    }
  }
  const one = (hosts: Set<string>, variable: string) => {
    if (hosts.size > 1)
      throw new Error(
        `${variable} names different servers across services: ${[...hosts].join(', ')}`,
      );
    return [...hosts][0];
  };
  const postgres = one(remote.postgres, 'DATABASE_URL');
  const redis = one(remote.redis, 'REDIS_URL');
  const otlp = one(remote.otlp, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return {
    stores: { databases: [...databases.values()], redisPassword },
    map(local) {
      const endpoints = new Map<string, string>();
      if (postgres && local.postgres) endpoints.set(postgres, local.postgres);
      if (redis) endpoints.set(redis, local.redis);
      if (otlp) endpoints.set(otlp, local.otlp);
      for (const [name, addresses] of services) {
        const port = local.services.get(name);
        if (port !== undefined)
          for (const address of addresses) endpoints.set(address, `127.0.0.1:${port}`);
      }
      return endpoints;
    },
  };
}
