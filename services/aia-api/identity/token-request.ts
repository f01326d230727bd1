import type { ClientCredentials } from './machine-clients.js';
import { OAuthError } from './oauth-error.js';

const FORM = 'application/x-www-form-urlencoded';
const MAX_PARAMETER_LENGTH = 1024;

/** A parsed client credentials token request (RFC 6749, 4.4.2). */
export interface ClientCredentialsRequest {
  readonly credentials: ClientCredentials;
  readonly scope: string | undefined;
}

/**
 * Reads a token request as RFC 6749 has it: a form-encoded body (3.2), each parameter at most
 * once (3.1), `grant_type=client_credentials`, the client authenticated by HTTP Basic or by
 * `client_id` and `client_secret` in the body, never both (2.3). Throws an {@link OAuthError}.
 */
export function parseTokenRequest(
  contentType: string | undefined,
  authorization: string | undefined,
  body: string,
): ClientCredentialsRequest {
  if (contentType?.split(';')[0]?.trim().toLowerCase() !== FORM)
    throw new OAuthError('invalid_request', `the body must be ${FORM}`);
  const form = new URLSearchParams(body);
  const value = (name: string): string | undefined => {
    const values = form.getAll(name);
    if (values.length > 1)
      throw new OAuthError('invalid_request', `${name} is given more than once`);
    if ((values[0]?.length ?? 0) > MAX_PARAMETER_LENGTH)
      throw new OAuthError(
        'invalid_request',
        `${name} is longer than ${MAX_PARAMETER_LENGTH} characters`,
      );
    return values[0];
  };
  const grantType = value('grant_type');
  if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is missing');
  if (grantType !== 'client_credentials')
    throw new OAuthError(
      'unsupported_grant_type',
      `grant_type '${grantType}' is not supported: use client_credentials`,
    );
  const inBody = { id: value('client_id'), secret: value('client_secret') };
  const basic = basicCredentials(authorization);
  if (basic && (inBody.id !== undefined || inBody.secret !== undefined))
    throw new OAuthError(
      'invalid_request',
      'authenticate the client one way: HTTP Basic or the body, not both',
    );
  const credentials =
    basic ??
    (inBody.id !== undefined && inBody.secret !== undefined
      ? { clientId: inBody.id, clientSecret: inBody.secret }
      : undefined);
  if (!credentials)
    throw new OAuthError(
      'invalid_client',
      'client authentication is missing: HTTP Basic, or client_id and client_secret',
    );
  const scope = value('scope');
  return { credentials, scope: scope === '' ? undefined : scope };
}

/** `Authorization: Basic base64(urlencoded id ":" urlencoded secret)` (RFC 6749, 2.3.1). */
function basicCredentials(authorization: string | undefined): ClientCredentials | undefined {
  if (authorization === undefined) return undefined;
  const [scheme, encoded, ...rest] = authorization.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== 'basic' || !encoded || rest.length > 0)
    throw new OAuthError(
      'invalid_client',
      'the Authorization header must be "Basic <credentials>"',
    );
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0)
    throw new OAuthError(
      'invalid_client',
      'Basic credentials must be "<client_id>:<client_secret>"',
    );
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'Basic credentials are not form-encoded');
  }
}
