import { AgentCard, type AgentInterface } from '@a2a-js/sdk';
import {
  OutboundAddressError,
  type OutboundPolicy,
  publicFetch,
} from '../../../platform/outbound/public-fetch.js';

/** A card is small: anything larger is not one (or is meant to exhaust memory). */
const MAX_CARD_BYTES = 256 * 1024;

/** How long a card may take to arrive. */
const CARD_TIMEOUT_MS = 10_000;

/** HTTP statuses that say "try again later" rather than "no". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

/**
 * Why a remote agent's card cannot be used. `reason` reads after the card's URL ("answered HTTP
 * 404"); `retryable` says whether asking again later may succeed (a timeout, a 5xx, a host that
 * did not resolve) or not (a 404, a refused address, not a card).
 */
export class RemoteCardError extends Error {
  override readonly name = 'RemoteCardError';

  constructor(
    readonly reason: string,
    readonly retryable: boolean,
  ) {
    super(`the remote agent's card ${reason}`);
  }
}

/** A remote agent as its card describes it, with the interface the orchestrator calls. */
export interface RemoteAgentCard {
  readonly card: AgentCard;
  /** Its A2A 1.0 JSON-RPC interface. */
  readonly endpoint: AgentInterface;
}

/**
 * Fetches the A2A agent card at `url` through {@link publicFetch} (only the addresses `policy`
 * allows; no redirects), reads at most 256 KiB of it within 10 s, and picks its JSON-RPC
 * interface (A2A 1.0 preferred; one that declares another major version does not count). Throws
 * {@link RemoteCardError} saying why the card cannot be used, or `signal`'s reason.
 *
 * @example
 * const { card, endpoint } = await fetchRemoteCard(url, { allowPrivate: false }, signal);
 */
export async function fetchRemoteCard(
  url: string,
  policy: OutboundPolicy,
  signal?: AbortSignal,
): Promise<RemoteAgentCard> {
  const timeout = AbortSignal.timeout(CARD_TIMEOUT_MS);
  let response: Response;
  try {
    response = await publicFetch(
      url,
      {
        headers: { Accept: 'application/json', 'A2A-Version': '1.0' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      },
      policy,
    );
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw unreachable(error, timeout);
  }
  const body = await boundedText(response, timeout, signal);
  const card = cardOf(body);
  return { card, endpoint: jsonRpcInterfaceOf(card) };
}

function unreachable(error: unknown, timeout: AbortSignal): RemoteCardError {
  if (error instanceof OutboundAddressError)
    // A name that did not resolve may resolve later; a refused address stays refused.
    return new RemoteCardError(`cannot be fetched: ${error.message}`, error.range === undefined);
  if (timeout.aborted)
    return new RemoteCardError(`did not arrive within ${CARD_TIMEOUT_MS / 1000} s`, true);
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return new RemoteCardError(`could not be fetched (${cause ?? String(error)})`, true);
}

async function boundedText(
  response: Response,
  timeout: AbortSignal,
  signal: AbortSignal | undefined,
): Promise<string> {
  const { status } = response;
  if (status >= 300 && status < 400) {
    await response.body?.cancel();
    const location = response.headers.get('location');
    return refuse(`redirects${location ? ` to ${location}` : ''}; redirects are not followed`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const retryable = status >= 500 || RETRYABLE_STATUSES.has(status);
    throw new RemoteCardError(`answered HTTP ${status}`, retryable);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_CARD_BYTES) {
    await response.body?.cancel();
    return refuse(`is ${declared} bytes, more than ${MAX_CARD_BYTES}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > MAX_CARD_BYTES) return refuse(`is more than ${MAX_CARD_BYTES} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof RemoteCardError) throw error;
    if (signal?.aborted) throw signal.reason;
    throw unreachable(error, timeout);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The card in the body, refused unless it is JSON naming an agent and its interfaces. */
function cardOf(body: string): AgentCard {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return refuse('is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return refuse('is not an A2A agent card: expected a JSON object');
  const record = json as Record<string, unknown>;
  if (typeof record.name !== 'string' || record.name.trim() === '')
    return refuse('is not an A2A agent card: it has no name');
  if (!Array.isArray(record.supportedInterfaces) || record.supportedInterfaces.length === 0)
    return refuse('is not an A2A 1.0 agent card: it lists no supportedInterfaces');
  try {
    return AgentCard.fromJSON(json);
  } catch (error) {
    return refuse(`is not an A2A agent card: ${(error as Error).message}`);
  }
}

/** The card's JSON-RPC interface of A2A 1.x (1.0 first), or a refusal saying what it lacks. */
export function jsonRpcInterfaceOf(card: AgentCard): AgentInterface {
  const candidates = card.supportedInterfaces.filter(
    (i) =>
      i.protocolBinding.toUpperCase() === 'JSONRPC' &&
      (i.protocolVersion === '' || /^1(\.|$)/.test(i.protocolVersion)),
  );
  const chosen = candidates.find((i) => i.protocolVersion === '1.0') ?? candidates[0];
  if (!chosen) return refuse('names no A2A 1.0 JSON-RPC interface');
  if (!URL.canParse(chosen.url) || !/^https?:$/.test(new URL(chosen.url).protocol))
    return refuse(`names a JSON-RPC interface whose URL is not http(s): ${chosen.url}`);
  return chosen;
}

function refuse(reason: string): never {
  throw new RemoteCardError(reason, false);
}
