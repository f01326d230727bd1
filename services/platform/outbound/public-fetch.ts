import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, type RequestInit as UndiciRequestInit, fetch as undiciFetch } from 'undici';
import { type AddressRange, addressRangeOf, PRIVATE_RANGES } from './address-ranges.js';

/** Which addresses a call to a caller-given URL may reach. */
export interface OutboundPolicy {
  /**
   * Also reach loopback, private (RFC 1918), carrier-grade NAT and unique-local addresses: for a
   * development machine's own servers. Link-local, cloud metadata, multicast and other
   * special-purpose addresses stay refused either way.
   */
  readonly allowPrivate: boolean;
}

/**
 * A caller-given URL whose host is, or resolves to, an address the policy refuses (or that is
 * not an http(s) URL at all). The message names the host and why; nothing was sent.
 */
export class OutboundAddressError extends Error {
  override readonly name = 'OutboundAddressError';

  constructor(
    /** The URL's host as given (a name or an address literal). */
    readonly host: string,
    /** Why: `'169.254.169.254 is a cloud metadata address'`, `'does not resolve'`, ... */
    readonly reason: string,
    /** The refused range, when an address was refused. */
    readonly range?: AddressRange,
  ) {
    super(`${host}: ${reason}`);
  }
}

/** An address a URL's host resolved to, checked against a policy. */
export interface CheckedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves the host of `url` (an http or https URL) and checks every address it resolves to:
 * throws {@link OutboundAddressError} when one is refused by `policy` or the host does not
 * resolve. For checking a URL before storing it (a webhook, a remote agent's card); a later
 * call goes through {@link publicFetch}, which checks again at connect time.
 *
 * @example
 * await assertPublicAddress('http://169.254.169.254/latest', { allowPrivate: false });
 * // throws OutboundAddressError: 169.254.169.254: 169.254.169.254 is a cloud metadata address ...
 */
export async function assertPublicAddress(
  url: string | URL,
  policy: OutboundPolicy,
): Promise<readonly CheckedAddress[]> {
  return resolveChecked(hostOf(httpUrl(url)), policy);
}

/**
 * `fetch` for URLs that callers give us (webhooks, remote agents' cards): resolves the host,
 * refuses private, loopback, link-local, cloud metadata, unique-local, carrier-grade NAT,
 * multicast, unspecified and other special-purpose addresses (IPv4, IPv6, IPv4-mapped IPv6)
 * unless `policy.allowPrivate`, and connects to the very address it checked: the check is the
 * connection's DNS lookup, so a name that resolves elsewhere a moment later (DNS rebinding) gains
 * nothing. Redirects are not followed (`redirect: 'manual'`): a 3xx is returned as it is, since
 * its `Location` would be reached unchecked. No proxy from the environment is used.
 *
 * Throws {@link OutboundAddressError} for a refused URL (nothing was sent), and what `fetch`
 * throws otherwise (a `TypeError` for a network failure, the signal's reason when aborted).
 *
 * @example
 * const res = await publicFetch(config.url, { method: 'POST', body, signal }, { allowPrivate: false });
 */
export async function publicFetch(
  url: string,
  init: RequestInit,
  policy: OutboundPolicy,
): Promise<Response> {
  const target = httpUrl(url);
  const host = hostOf(target);
  // An address literal is never looked up, so the connection's check would not run: check it here.
  if (isIP(host)) checkAddress(host, host, policy);
  try {
    const response = await undiciFetch(target, {
      ...(init as UndiciRequestInit),
      redirect: 'manual',
      dispatcher: agentFor(policy),
    });
    return response as unknown as Response;
  } catch (error) {
    // fetch wraps what the connection's lookup threw as `TypeError('fetch failed', { cause })`.
    const cause = error instanceof TypeError ? error.cause : undefined;
    throw cause instanceof OutboundAddressError ? cause : error;
  }
}

/** One connection pool per policy, whose every DNS lookup is checked. */
const agents = new Map<boolean, Agent>();

function agentFor(policy: OutboundPolicy): Agent {
  let agent = agents.get(policy.allowPrivate);
  if (!agent) {
    agent = new Agent({ connect: { lookup: checkedLookup(policy) } });
    agents.set(policy.allowPrivate, agent);
  }
  return agent;
}

/** `net.connect`'s `lookup`, answering with checked addresses only. */
/** Node's errno for a name with no (usable) address, as `dns.lookup` reports it. */
const DNS_NOT_FOUND = 'ENOTFOUND';

const checkedLookup =
  (policy: OutboundPolicy): LookupFunction =>
  (hostname: string, options: LookupOptions, callback) => {
    resolveChecked(hostname, policy).then(
      (checked) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = checked.filter((a) => family === undefined || a.family === family);
        const [first] = usable;
        if (!first)
          return callback(
            Object.assign(new Error(`${hostname} has no IPv${family} address`), {
              code: DNS_NOT_FOUND,
            }),
            '',
          );
        if (options.all) return callback(null, usable as LookupAddress[]);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };

async function resolveChecked(
  host: string,
  policy: OutboundPolicy,
): Promise<readonly CheckedAddress[]> {
  const literal = isIP(host);
  if (literal === 4 || literal === 6) return [checkAddress(host, host, policy)];
  let found: LookupAddress[];
  try {
    found = await lookup(host, { all: true, order: 'verbatim' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new OutboundAddressError(host, `does not resolve (${code})`);
  }
  if (found.length === 0) throw new OutboundAddressError(host, 'does not resolve');
  // Every address, not only the first: a name may mix a public address with an internal one.
  return found.map(({ address }) => checkAddress(host, address, policy));
}

function checkAddress(host: string, address: string, policy: OutboundPolicy): CheckedAddress {
  const range = addressRangeOf(address);
  if (range && !(policy.allowPrivate && PRIVATE_RANGES.has(range))) {
    const what = host === address ? `${address} is` : `resolves to ${address},`;
    const article = range === 'unspecified' ? 'an' : 'a';
    throw new OutboundAddressError(
      host,
      `${what} ${article} ${range} address; only public addresses are called`,
      range,
    );
  }
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

function httpUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundAddressError(String(url), 'is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new OutboundAddressError(parsed.host, `is a ${parsed.protocol} URL; expected http(s)`);
  return parsed;
}

/** The host of a URL as an address literal or name: IPv6 literals lose their brackets. */
const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');
