/** Random numbers that a seed fixes, so every run generates the same graph and samples. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [0, below). */
  below(below: number): number;
  /** One of the items (not empty). */
  pick<T>(items: readonly T[]): T;
}

/**
 * mulberry32: 32 bits of state, fast, and good enough to spread a benchmark's choices; not for
 * anything secret. Seeds that differ in any bit give unrelated sequences.
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  return {
    next,
    below,
    pick: <T>(items: readonly T[]) => {
      if (items.length === 0) throw new Error('pick: no items to pick from');
      return items[below(items.length)] as T;
    },
  };
}

/** A seed for one part of the work (a domain, a sampler), derived from the run's seed. */
export const seedFor = (seed: number, ...parts: readonly (string | number)[]): number => {
  // FNV-1a over the parts' text: distinct parts give distinct, well-spread seeds.
  let hash = 0x811c9dc5 ^ seed;
  for (const char of parts.join('/')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};
