import { ValidationError } from '../../platform/errors.js';
import {
  assertPublicAddress,
  OutboundAddressError,
  type OutboundPolicy,
} from '../../platform/outbound/public-fetch.js';
import { fetchRemoteCard, RemoteCardError } from '../execution/runtimes/remote-card.js';

/**
 * Refuses (422 naming `runtime.card_url`) a remote agent whose card cannot be used: it cannot be
 * fetched (unreachable, an error status, a redirect, an address `policy` refuses), it is not an
 * A2A 1.0 card with a JSON-RPC interface, or that interface is at an address `policy` refuses.
 * The card is fetched once, as the runtime fetches it; nothing is stored.
 *
 * @example
 * if (input.runtime.kind === 'remote') await checkRemoteCard(input.runtime.card_url, outbound);
 */
export async function checkRemoteCard(url: string, policy: OutboundPolicy): Promise<void> {
  try {
    const { endpoint } = await fetchRemoteCard(url, policy);
    await assertPublicAddress(endpoint.url, policy).catch((error: unknown) => {
      if (!(error instanceof OutboundAddressError)) throw error;
      throw new RemoteCardError(
        `names a JSON-RPC interface that is not called: ${error.message}`,
        false,
      );
    });
  } catch (error) {
    if (!(error instanceof RemoteCardError)) throw error;
    throw new ValidationError([{ field: 'runtime.card_url', reason: `the card ${error.reason}` }]);
  }
}
