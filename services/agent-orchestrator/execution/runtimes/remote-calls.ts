import type { AgentCard } from '@a2a-js/sdk';
import { A2AError } from '@a2a-js/sdk/errors';
import {
  OutboundAddressError,
  type OutboundPolicy,
  publicFetch,
} from '../../../platform/outbound/public-fetch.js';
import { RETRYABLE_STATUSES, RemoteCardError } from './remote-card.js';
import { type PlatformIdentity, RunRefused } from './runtime.js';

/** The audience of this platform's agents' tokens: the orchestrator's own service name. */
const PLATFORM_AUDIENCE = 'agent-orchestrator';

/** The longest part of a refusal's body quoted in the task's failure reason. */
const QUOTED_BODY_CHARS = 300;

/**
 * The `fetch` the SDK's JSON-RPC transport calls a remote agent with: {@link publicFetch} under
 * `policy` (no redirects). A refusal that retrying will not change — a redirect, or a 4xx other
 * than 408, 425 and 429 whose body is not a JSON-RPC error — becomes {@link RunRefused} with the
 * status and the start of the body; a JSON-RPC error is left to the SDK, 5xx to the retries.
 */
export const guardedFetch =
  (policy: OutboundPolicy): typeof fetch =>
  async (input, init) => {
    // The SDK's transports call fetch(url, init), never with a Request.
    const response = await publicFetch(String(input), init ?? {}, policy);
    const { status } = response;
    const refused =
      (status >= 300 && status < 400) ||
      (status >= 400 && status < 500 && !RETRYABLE_STATUSES.has(status));
    if (!refused) return response;
    const body = await response.text().catch(() => '');
    if (isJsonRpcError(body))
      return new Response(body, { status, statusText: response.statusText });
    const location = response.headers.get('location');
    throw new RunRefused(
      location
        ? `the remote agent redirects to ${location}; redirects are not followed`
        : `the remote agent answered HTTP ${status}${body ? `: ${body.slice(0, QUOTED_BODY_CHARS)}` : ''}`,
    );
  };

function isJsonRpcError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { jsonrpc?: unknown; error?: unknown };
    return parsed.jsonrpc === '2.0' && typeof parsed.error === 'object' && parsed.error !== null;
  } catch {
    return false;
  }
}

/**
 * What a failed call to a remote agent means for the run: {@link RunRefused} when asking again
 * will not help (a card that is not one, an address the policy refuses, an A2A error such as
 * "task not found" or "version not supported"); the error itself when it may (a timeout, a
 * connection failure, a 5xx, an internal error of the remote), so the attempt is retried.
 */
export function runErrorOf(error: unknown): unknown {
  if (error instanceof RunRefused) return error;
  if (error instanceof RemoteCardError)
    return error.retryable ? error : new RunRefused(error.message);
  if (error instanceof OutboundAddressError && error.range !== undefined)
    return new RunRefused(`the remote agent cannot be called: ${error.message}`);
  if (error instanceof A2AError && error.reason !== 'INTERNAL_ERROR')
    return new RunRefused(`the remote agent refused the call: ${error.message}`);
  return error;
}

/** Whether `url` is on one of this platform's own origins. */
export const isOnPlatform = (url: string, platform: PlatformIdentity | undefined): boolean =>
  platform?.origins.some((origin) => new URL(origin).origin === new URL(url).origin) ?? false;

/**
 * The headers that authenticate calls to `endpointUrl`: the service's own token (audience
 * `agent-orchestrator`) when the card asks for a bearer token and the endpoint is this
 * platform's; nothing otherwise, since no token is configured per remote agent yet.
 */
export async function authorizationFor(
  card: AgentCard,
  endpointUrl: string,
  platform: PlatformIdentity | undefined,
): Promise<Record<string, string>> {
  if (!platform || !isOnPlatform(endpointUrl, platform) || !asksForBearer(card)) return {};
  return { Authorization: `Bearer ${await platform.tokens(PLATFORM_AUDIENCE, [])}` };
}

const asksForBearer = (card: AgentCard): boolean =>
  Object.values(card.securitySchemes).some(
    ({ scheme }) =>
      scheme?.$case === 'httpAuthSecurityScheme' && scheme.value.scheme.toLowerCase() === 'bearer',
  );
