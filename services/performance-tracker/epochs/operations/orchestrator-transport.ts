import type { Logger } from 'pino';
import { upstreamUrl } from '../../../catalog/upstreams.js';
import { catalog } from '../../../catalog.js';
import { type ServiceTransport, serviceTransport } from '../../../platform/service-client/index.js';
import { serviceTokens } from '../../../platform/service-identity/service-token.js';

/** The scope the tracker's catalog `calls` grant it toward the agent orchestrator. */
export const ORCHESTRATOR_SCOPES = ['agents:read'] as const;

/**
 * The tracker's transport to the agent orchestrator (which has no typed client yet): its service
 * token for `agents:read`, AGENT_ORCHESTRATOR_URL (loopback at the catalog port when unset),
 * and the kit's time limit, retries and breaker, as `createServiceClients` builds for a typed
 * client.
 */
export function orchestratorTransport(
  config: Readonly<Record<string, unknown>>,
  logger?: Logger,
): ServiceTransport {
  return serviceTransport({
    service: 'agent-orchestrator',
    baseUrl: upstreamUrl(catalog['agent-orchestrator'], config),
    tokens: serviceTokens({
      service: 'performance-tracker',
      signingKey: config.SERVICE_SIGNING_KEY as string | undefined,
      issuer: String(config.JWT_ISSUER ?? 'aia-platform'),
    }),
    scopes: ORCHESTRATOR_SCOPES,
    ...(logger ? { logger: logger.child({ upstream: 'agent-orchestrator' }) } : {}),
  });
}
