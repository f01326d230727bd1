/** A position per partition of one topic, as `TopicReader` gives them (index = partition). */
export type Positions = readonly string[];

const CURSOR_VERSION = 'c1.';
const POSITION = /^(\d{1,20}-\d{1,20}|-1|\d{1,20})$/;

/**
 * A resume point of one subscription: where it stands in every partition of its topic, opaque to
 * clients (`c1.` and base64url JSON). The same on every gateway replica: positions are the bus's.
 */
export const encodeCursor = (positions: Positions): string =>
  `${CURSOR_VERSION}${Buffer.from(JSON.stringify(positions)).toString('base64url')}`;

/** The positions of `cursor` for a topic of `partitions`; a sentence saying why not otherwise. */
export function decodeCursor(
  cursor: string,
  partitions: number,
): { ok: true; positions: Positions } | { ok: false; reason: string } {
  const invalid = { ok: false, reason: 'not a cursor this stream gave' } as const;
  if (!cursor.startsWith(CURSOR_VERSION)) return invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor.slice(CURSOR_VERSION.length), 'base64url').toString());
  } catch {
    return invalid;
  }
  if (!Array.isArray(decoded) || !decoded.every((p) => typeof p === 'string' && POSITION.test(p)))
    return invalid;
  if (decoded.length !== partitions)
    return { ok: false, reason: 'a cursor of another topic (its partitions differ)' };
  return { ok: true, positions: decoded as string[] };
}
