/** What stands in for a credential taken out of a URL. */
export const REDACTED = 'REDACTED';

/** Query parameter names that carry credentials: api_key, token, X-Amz-Signature, sig, password ... */
const SECRET_PARAMETER = /key|token|secret|sig|pass|pwd|auth|credential|session|jwt|bearer|access/i;

/**
 * A source URL safe to show and to store in reports: its user name and password, and the values
 * of query parameters whose names look like credentials, replaced by `REDACTED`. Anything that
 * is not an absolute URL (a sample's file name, an events source's topic) is returned as it is.
 *
 * @example
 * redactUrl('https://u:p@feeds.example/rss?api_key=abc&q=ai')
 * // 'https://REDACTED:REDACTED@feeds.example/rss?api_key=REDACTED&q=ai'
 */
export function redactUrl(url: string): string;
export function redactUrl(url: string | null): string | null;
export function redactUrl(url: string | null): string | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username) parsed.username = REDACTED;
  if (parsed.password) parsed.password = REDACTED;
  for (const name of [...parsed.searchParams.keys()])
    if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, REDACTED);
  return parsed.href === new URL(url).href ? url : parsed.href;
}

/** `text` with every occurrence of `url` redacted (a failure message naming the URL). */
export const redactUrlIn = (text: string, url: string | null): string =>
  url === null || url === '' ? text : text.replaceAll(url, redactUrl(url));
