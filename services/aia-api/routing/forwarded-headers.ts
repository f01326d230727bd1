import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { propagatedHeaders } from '../../platform/service-client/call-headers.js';
import type { AppEnv } from '../../platform/types.js';

/** Headers of one connection, never forwarded (RFC 9110, section 7.6.1), and Host (rewritten). */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
];

/**
 * The headers an upstream gets: the caller's (its bearer token included: services verify it
 * themselves), without hop-by-hop headers and those the `Connection` header names, with Host left
 * to the upstream's address; `X-Request-Id` set to the request's id and W3C trace context
 * (`traceparent`, `tracestate`) of the gateway's span when tracing runs (else the caller's, as
 * sent); `X-Forwarded-For` with the caller's address appended; `X-Forwarded-Proto` and
 * `X-Forwarded-Host` as the caller used them — from the proxies in front when
 * `trustedProxyHops` > 0 and they said so, else from this request.
 */
export function forwardedHeaders(c: Context<AppEnv>, trustedProxyHops: number): Headers {
  const incoming = c.req.raw.headers;
  const headers = new Headers(incoming);
  for (const name of (incoming.get('connection') ?? '').split(','))
    if (name.trim() !== '') headers.delete(name.trim());
  for (const name of HOP_BY_HOP) headers.delete(name);

  const url = new URL(c.req.url);
  const trusted = (name: string) => (trustedProxyHops > 0 ? incoming.get(name) : null);
  headers.set('x-forwarded-proto', trusted('x-forwarded-proto') ?? url.protocol.slice(0, -1));
  headers.set('x-forwarded-host', trusted('x-forwarded-host') ?? incoming.get('host') ?? url.host);
  const peer = peerAddress(c);
  const chain = trustedProxyHops > 0 ? incoming.get('x-forwarded-for') : null;
  headers.set('x-forwarded-for', chain ? `${chain}, ${peer}` : peer);

  for (const [name, value] of Object.entries(propagatedHeaders({ requestId: c.get('requestId') })))
    headers.set(name, value);
  return headers;
}

function peerAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Served without a socket (app.request in tests).
    return 'unknown';
  }
}
