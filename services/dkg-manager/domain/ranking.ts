/**
 * How ranked lists are ordered and paged: each row has a sort key (a tuple of numbers and
 * strings, each compared ascending or descending), and a page continues after the last row's
 * key, so a page boundary holds even while rows are added.
 */

/** A row's place in a ranked list, compared element by element. */
export type SortKey = readonly (number | string)[];
export type SortOrder = readonly ('asc' | 'desc')[];

/** Negative when `a` comes first under `order`. Numbers compare as numbers, strings by code unit. */
export function compareKeys(a: SortKey, b: SortKey, order: SortOrder): number {
  for (const [index, direction] of order.entries()) {
    const [x, y] = [a[index], b[index]];
    if (x === y || x === undefined || y === undefined) continue;
    const ascending = typeof x === 'number' && typeof y === 'number' ? x - y : x < y ? -1 : 1;
    return direction === 'asc' ? ascending : -ascending;
  }
  return 0;
}

/** The cursor of the page after the row with `key`. */
export const cursorAfter = (key: SortKey): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** The key a cursor names, or undefined when it is not one of `order`'s shape. */
export function keyOfCursor(cursor: string, order: SortOrder): SortKey | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const valid =
      Array.isArray(key) &&
      key.length === order.length &&
      key.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
    return valid ? (key as SortKey) : undefined;
  } catch {
    return undefined;
  }
}

/** One page of `rows` (each with its `key`) in `order`, after `after` when given. */
export function pageOf<R extends { readonly key: SortKey }>(
  rows: readonly R[],
  order: SortOrder,
  { limit, after }: { readonly limit: number; readonly after?: SortKey },
): { rows: R[]; next: string | null } {
  const sorted = [...rows].sort((a, b) => compareKeys(a.key, b.key, order));
  const rest =
    after === undefined ? sorted : sorted.filter((row) => compareKeys(row.key, after, order) > 0);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rest.length > limit && last ? cursorAfter(last.key) : null };
}
