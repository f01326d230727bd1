import type { Context } from 'hono';
import { decodeJwt } from 'jose';
import type { JwtVerifier } from '../../platform/auth.js';
import type { AppEnv, Principal } from '../../platform/types.js';
import { STREAM_PROTOCOL } from './protocol.js';

/** Prefix of the subprotocol that carries a browser's bearer token: `aia.bearer.<token>`. */
export const BEARER_PROTOCOL_PREFIX = 'aia.bearer.';

/** Who connects, or why not (an HTTP status for the refused upgrade and a sentence). */
export type StreamCaller =
  | {
      readonly ok: true;
      readonly principal: Principal;
      readonly token: string;
      /** When the token expires (epoch ms): the connection ends then. */
      readonly expiresAt: number | undefined;
    }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/** The offered subprotocols of a `Sec-WebSocket-Protocol` header. */
export const offeredProtocols = (header: string | undefined): string[] =>
  (header ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol !== '');

/**
 * The bearer token of an upgrade: the `Authorization` header, else (browsers cannot set headers
 * on a WebSocket) a `aia.bearer.<token>` subprotocol offered beside `aia.stream.v1`, which is the
 * one the server selects, so the token is never echoed. Never the URL: URLs are logged.
 */
export function tokenOf(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (match?.[1]) return match[1];
  const offered = offeredProtocols(c.req.header('sec-websocket-protocol'));
  if (!offered.includes(STREAM_PROTOCOL)) return undefined;
  const bearer = offered.find((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX));
  return bearer?.slice(BEARER_PROTOCOL_PREFIX.length) || undefined;
}

/**
 * Whether a browser page at `origin` may connect (cross-site WebSocket hijacking): no `Origin`
 * (not a browser), the gateway's own origin, or one of `allowedOrigins` (the CORS origins;
 * `*`, development only, allows any).
 */
export function originAllowed(
  origin: string | undefined,
  requestUrl: string,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin) || allowedOrigins.includes('*')) return true;
  const own = new URL(requestUrl);
  // Compared on host only: behind TLS termination the request URL says http.
  return URL.canParse(origin) && new URL(origin).host === own.host;
}

/**
 * Authenticates an upgrade to `/v1/stream`: 403 for a foreign origin, 401 without a valid token,
 * 403 for a token with none of the stream's scopes.
 */
export async function authenticateUpgrade(
  c: Context<AppEnv>,
  {
    verify,
    allowedOrigins,
    scopes,
  }: { verify: JwtVerifier; allowedOrigins: readonly string[]; scopes: ReadonlySet<string> },
): Promise<StreamCaller> {
  if (!originAllowed(c.req.header('origin'), c.req.url, allowedOrigins))
    return { ok: false, status: 403, reason: 'origin not allowed' };
  const token = tokenOf(c);
  if (!token) return { ok: false, status: 401, reason: 'missing bearer token' };
  let principal: Principal;
  try {
    principal = await verify(token);
  } catch {
    return { ok: false, status: 401, reason: 'invalid bearer token' };
  }
  if (![...scopes].some((scope) => principal.scopes.has(scope)))
    return {
      ok: false,
      status: 403,
      reason: `the token holds none of the stream's scopes (${[...scopes].sort().join(', ')})`,
    };
  // Verified above, so its claims can be read as they are.
  const { exp } = decodeJwt(token);
  return { ok: true, principal, token, expiresAt: exp === undefined ? undefined : exp * 1000 };
}
