import type { Principal } from '../../platform/types.js';

/**
 * A caller authenticated by an API key: the key's owner and scopes, and the short-lived JWT the
 * gateway minted for them, which upstreams get in place of the key (they verify JWTs only).
 */
export class ApiKeyPrincipal implements Principal {
  constructor(
    readonly subject: string,
    readonly scopes: ReadonlySet<string>,
    /** The key's id (never its secret): for logs and audits. */
    readonly keyId: string,
    /** `Authorization` value for upstreams: the minted token, `Bearer <jwt>`. */
    readonly upstreamAuthorization: string,
  ) {}
}
