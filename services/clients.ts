import type { Logger } from 'pino';
import { upstreamUrl } from './catalog/upstreams.js';
import { catalog, type ServiceName, serviceDefinition } from './catalog.js';
import { dkgManagerClient } from './dkg-manager/client.js';
import { economicGovernorClient } from './economic-governor/client.js';
import {
  type ServiceTransport,
  serviceTransport,
  type TokenSource,
  type UpstreamPolicyOptions,
} from './platform/service-client/index.js';
import { serviceTokens } from './platform/service-identity/service-token.js';
import { ventureDiscoveryClient } from './venture-discovery/client.js';

/** Each service's typed client, by the name of the service it calls. */
const clientFactories = {
  'economic-governor': economicGovernorClient,
  'dkg-manager': dkgManagerClient,
  'venture-discovery': ventureDiscoveryClient,
} satisfies Partial<Record<ServiceName, (transport: ServiceTransport) => unknown>>;

/** The services that have a typed client. */
export type ClientServiceName = keyof typeof clientFactories;

/** The clients a service has: one per service its catalog `calls` list. */
export type ServiceClients = {
  readonly [Name in ClientServiceName]: ReturnType<(typeof clientFactories)[Name]>;
};

export interface ServiceClientsOptions {
  /** The calling service. */
  readonly service: ServiceName;
  /**
   * Its parsed configuration: `JWT_ISSUER`, `SERVICE_SIGNING_KEY` and each callee's URL
   * variable (`ECONOMIC_GOVERNOR_URL`; loopback at the callee's catalog port when unset).
   */
  readonly config: Readonly<Record<string, unknown>>;
  readonly logger?: Logger;
  /** Default: tokens signed with the caller's `SERVICE_SIGNING_KEY`. Tools pass their own. */
  readonly tokens?: TokenSource;
  /** Time limit, retries and breaker, for every upstream. Defaults: `serviceTransport`'s. */
  readonly policy?: UpstreamPolicyOptions & { readonly timeoutMs?: number };
}

/**
 * The typed clients of the services `service` calls (its catalog `calls`), each with the
 * caller's service token for that callee and scopes, the callee's URL from the catalog, and one
 * circuit breaker per callee. Build it once per process; a client of a service that the caller's
 * `calls` do not list throws when it is asked for.
 *
 * @example
 * const clients = createServiceClients({ service: 'agent-orchestrator', config, logger });
 * const account = await clients['economic-governor'].openAccount({ ledger: 'AIA', kind: 'user' });
 */
export function createServiceClients({
  service,
  config,
  logger,
  tokens,
  policy = {},
}: ServiceClientsOptions): ServiceClients {
  const calls = serviceDefinition(service).calls;
  const tokenSource =
    tokens ??
    serviceTokens({
      service,
      signingKey: config.SERVICE_SIGNING_KEY as string | undefined,
      issuer: String(config.JWT_ISSUER ?? 'aia-platform'),
    });
  const made = new Map<string, unknown>();
  const clientOf = (callee: ClientServiceName) => {
    const scopes = calls[callee];
    if (!scopes)
      throw new Error(
        `${service} does not call ${callee}: add it to the calls of services/${service}/definition.ts`,
      );
    if (!made.has(callee)) {
      const transport = serviceTransport({
        service: callee,
        baseUrl: upstreamUrl(catalog[callee], config),
        tokens: tokenSource,
        scopes,
        logger: logger?.child({ upstream: callee }),
        ...policy,
      });
      made.set(callee, clientFactories[callee](transport));
    }
    return made.get(callee);
  };
  return Object.defineProperties(
    {},
    Object.fromEntries(
      Object.keys(clientFactories).map((callee) => [
        callee,
        { enumerable: true, get: () => clientOf(callee as ClientServiceName) },
      ]),
    ),
  ) as ServiceClients;
}
