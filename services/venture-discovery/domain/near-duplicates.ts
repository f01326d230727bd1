/**
 * Near-duplicate removal by MinHash over word shingles, with locality-sensitive hashing so only
 * likely pairs are compared. Deterministic: fixed seeds, and of each duplicate group the earliest
 * signal (then the smallest id) is kept.
 */

/** Words per shingle: three catches reworded headlines without matching unrelated ones. */
const SHINGLE_WORDS = 3;
/** Hash functions in a signature: bands × rows. */
const BANDS = 16;
const ROWS = 4;
/** Estimated Jaccard similarity from which two signals are one. */
export const DUPLICATE_SIMILARITY = 0.7;

/** 32-bit FNV-1a of `text`, mixed with `seed`. */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche, so seeds that differ in a bit give unrelated hashes.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const set = new Set<string>();
  if (words.length < SHINGLE_WORDS) {
    if (words.length > 0) set.add(words.join(' '));
    return set;
  }
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i += 1)
    set.add(words.slice(i, i + SHINGLE_WORDS).join(' '));
  return set;
}

/** The MinHash signature of `text`: the least hash of its shingles under each seed. */
export function signature(text: string): Uint32Array {
  const sig = new Uint32Array(BANDS * ROWS).fill(0xffffffff);
  for (const shingle of shingles(text))
    for (let k = 0; k < sig.length; k += 1) {
      const h = hash(shingle, k * 0x9e3779b1);
      if (h < (sig[k] as number)) sig[k] = h;
    }
  return sig;
}

/** The share of hash functions on which two signatures agree: an estimate of their Jaccard similarity. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < a.length; k += 1) if (a[k] === b[k]) same += 1;
  return same / a.length;
}

export interface Deduplicable {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly publishedAt: Date;
}

/**
 * `items` without near-duplicates: of each group whose estimated similarity reaches
 * {@link DUPLICATE_SIMILARITY}, the earliest (then smallest id) stays. Returns the kept items in
 * that order and how many were removed.
 */
export function removeNearDuplicates<T extends Deduplicable>(
  items: readonly T[],
): { kept: T[]; removed: number } {
  const ordered = [...items].sort(
    (a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id.localeCompare(b.id),
  );
  const buckets = new Map<string, number[]>();
  const signatures: Uint32Array[] = [];
  const kept: T[] = [];
  for (const item of ordered) {
    const sig = signature(`${item.title} ${item.body}`);
    const keys: string[] = [];
    for (let band = 0; band < BANDS; band += 1)
      keys.push(`${band}:${Array.from(sig.subarray(band * ROWS, (band + 1) * ROWS)).join(',')}`);
    const candidates = new Set(keys.flatMap((key) => buckets.get(key) ?? []));
    const duplicate = [...candidates].some(
      (index) => similarity(sig, signatures[index] as Uint32Array) >= DUPLICATE_SIMILARITY,
    );
    if (duplicate) continue;
    const index = kept.length;
    kept.push(item);
    signatures.push(sig);
    for (const key of keys) buckets.set(key, [...(buckets.get(key) ?? []), index]);
  }
  return { kept, removed: items.length - kept.length };
}
