/** The error codes of RFC 6749, section 5.2, that the token endpoint answers. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_scope'
  | 'unsupported_grant_type';

const BAD_REQUEST = 400;
const UNAUTHORIZED = 401;

/**
 * A token request refused, answered as RFC 6749 wants (`{ error, error_description }`, 400, or
 * 401 for a client that failed to authenticate), not as a problem document.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly status: typeof BAD_REQUEST | typeof UNAUTHORIZED;
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.status = error === 'invalid_client' ? UNAUTHORIZED : BAD_REQUEST;
  }
}
