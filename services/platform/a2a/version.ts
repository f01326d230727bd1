import { A2A_VERSION_HEADER, type AgentCard } from '@a2a-js/sdk';
import { VersionNotSupportedError } from '@a2a-js/sdk/errors';
import { validateVersion } from '@a2a-js/sdk/server';

/**
 * Checks the `A2A-Version` header against the card's JSON-RPC interfaces. The SDK reads a
 * missing header as 0.3 (the spec's rule for old clients), which this server does not speak:
 * the error says which header to send instead of complaining about version '0.3'.
 */
export function checkVersion(requested: string | undefined, card: AgentCard): void {
  if (requested === undefined || requested.trim() === '') {
    const versions = card.supportedInterfaces
      .filter((i) => i.protocolBinding === 'JSONRPC' && i.protocolVersion)
      .map((i) => i.protocolVersion);
    throw new VersionNotSupportedError(
      `${A2A_VERSION_HEADER} header is missing: send ${A2A_VERSION_HEADER}: ${versions[0] ?? '1.0'} (supported: ${[...new Set(versions)].join(', ')}); without it a request is read as A2A 0.3`,
    );
  }
  validateVersion(requested.trim(), card, 'JSONRPC');
}
