/**
 * Text, URL and date normalisation for signals: what makes two copies of one item compare equal
 * (and what the near-duplicate check and the term extraction read).
 */

const TAG = /<[^>]*>/g;
const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;
/** C0/C1 control characters, NUL included: never stored (tab and newline become spaces anyway). */
const CONTROL = /\p{Cc}/gu;
const UNPAIRED_SURROGATE = /\p{Cs}/gu;

/** The character a numeric or named character reference stands for, or the reference itself. */
function decodeEntity(match: string, body: string): string {
  if (body.startsWith('#')) {
    const code =
      body[1] === 'x' || body[1] === 'X'
        ? Number.parseInt(body.slice(2), 16)
        : Number(body.slice(1));
    if (
      !Number.isInteger(code) ||
      code <= 0 ||
      code > 0x10ffff ||
      (code >= 0xd800 && code <= 0xdfff)
    )
      return ' ';
    return String.fromCodePoint(code);
  }
  return ENTITIES[body.toLowerCase()] ?? match;
}

/**
 * Plain text from a feed's or a table's field: markup removed, character references decoded,
 * Unicode NFKC, control characters and unpaired surrogates dropped, whitespace collapsed, at most
 * `max` characters.
 */
export function normaliseText(raw: string, max = 4_000): string {
  return raw
    .replace(TAG, ' ')
    .replace(ENTITY, decodeEntity)
    .normalize('NFKC')
    .replace(CONTROL, ' ')
    .replace(UNPAIRED_SURROGATE, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

/** Query parameters that track a click rather than name a page. */
const TRACKING_PARAM = /^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src)$/i;

/**
 * The canonical form of an item's link, or undefined when it is not an http(s) URL: host
 * lower-cased, default port, fragment and tracking parameters dropped, parameters sorted, no
 * trailing slash on the path.
 */
export function canonicalUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  const kept = [...url.searchParams.entries()]
    .filter(([name]) => !TRACKING_PARAM.test(name))
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
  url.search = new URLSearchParams(kept).toString();
  if (url.pathname.length > 1 && url.pathname.endsWith('/'))
    url.pathname = url.pathname.slice(0, -1);
  const text = url.toString();
  return text.length <= 2_000 ? text : undefined;
}

/**
 * A date as a feed or a table gives it (RFC 822, ISO 8601, epoch seconds), or undefined when it
 * does not parse or lies more than a day in the future (a wrong clock, not news from tomorrow).
 */
export function parseDate(raw: unknown, now: Date): Date | undefined {
  let date: Date | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw))
    date = new Date(raw < 1e12 ? raw * 1000 : raw);
  else if (typeof raw === 'string' && raw.trim() !== '') {
    const text = raw.trim();
    date = /^\d{9,13}$/.test(text) ? parseDate(Number(text), now) : new Date(text);
  }
  if (!date || Number.isNaN(date.getTime())) return undefined;
  if (date.getTime() > now.getTime() + 86_400_000) return undefined;
  if (date.getUTCFullYear() < 1990) return undefined;
  return date;
}
