import type { Logger } from 'pino';
import { upstreamUrl } from '../../../catalog/upstreams.js';
import { catalog } from '../../../catalog.js';
import { serviceTransport } from '../../../platform/service-client/index.js';
import { serviceTokens } from '../../../platform/service-identity/service-token.js';
import { a2aBenchmarkRunner } from './a2a-benchmark-runner.js';
import type { BenchmarkRunner } from './benchmark-runner.js';

/** One A2A call (a send, a read) waits this long at most; a whole task has its own limit. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * The tracker's benchmark runner: A2A messages to the agents at the agent orchestrator
 * (AGENT_ORCHESTRATOR_URL; loopback at its catalog port when unset), with the tracker's service
 * token (`agents:write`, which every A2A call needs; audience agent-orchestrator) and the kit's
 * breaker, as its other calls to the orchestrator.
 */
export function orchestratorBenchmarkRunner(
  config: Readonly<Record<string, unknown>>,
  logger?: Logger,
): BenchmarkRunner {
  const baseUrl = upstreamUrl(catalog['agent-orchestrator'], config);
  const transport = serviceTransport({
    service: 'agent-orchestrator',
    baseUrl,
    tokens: serviceTokens({
      service: 'performance-tracker',
      signingKey: config.SERVICE_SIGNING_KEY as string | undefined,
      issuer: String(config.JWT_ISSUER ?? 'aia-platform'),
    }),
    scopes: ['agents:write'],
    timeoutMs: CALL_TIMEOUT_MS,
    ...(logger
      ? { logger: logger.child({ upstream: 'agent-orchestrator', use: 'benchmarks' }) }
      : {}),
  });
  const send = transport.fetchFor();
  return a2aBenchmarkRunner({
    orchestratorUrl: baseUrl,
    fetchImpl: ((input: string | URL | Request, init?: RequestInit) =>
      send(new Request(input, init))) as typeof fetch,
  });
}
