import { termCounts } from './terms.js';

/** Cosine similarity to a cluster's centroid from which a signal joins it. */
export const JOIN_SIMILARITY = 0.2;
/** Cosine similarity of two clusters' centroids from which they are one theme. */
export const MERGE_SIMILARITY = 0.15;
/** Phrases weigh more than single words: `ai bookkeeping` says more than `ai`. */
const PHRASE_BOOST = 1.5;
/** Terms a cluster is named by and compared across runs with. */
export const THEME_TERMS = 6;

export interface Clusterable {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly publishedAt: Date;
}

/** Signals about one theme: a candidate opportunity. */
export interface Cluster<T extends Clusterable> {
  readonly members: T[];
  /** The cluster's strongest terms, strongest first. */
  readonly themes: string[];
  /** The first three themes, sorted and joined: the same theme in another run has the same key. */
  readonly key: string;
}

type Vector = Map<string, number>;

function norm(vector: Vector): number {
  let sum = 0;
  for (const value of vector.values()) sum += value * value;
  return Math.sqrt(sum);
}

function cosine(a: Vector, b: Vector, bNorm: number): number {
  const aNorm = norm(a);
  if (aNorm === 0 || bNorm === 0) return 0;
  let dot = 0;
  for (const [term, value] of a) dot += value * (b.get(term) ?? 0);
  return dot / (aNorm * bNorm);
}

/**
 * Groups signals into themes, deterministically: each signal becomes a TF-IDF vector of the
 * terms it shares with at least one other signal; in time order (then id) it joins the cluster
 * whose centroid is most similar (at least {@link JOIN_SIMILARITY}) or starts a new one. Clusters
 * with fewer than `minSize` members are dropped (one mention is not a signal of demand).
 */
export function clusterSignals<T extends Clusterable>(
  items: readonly T[],
  minSize = 2,
): Cluster<T>[] {
  const counts = items.map((item) => termCounts(`${item.title}. ${item.title}. ${item.body}`));
  const documentFrequency = new Map<string, number>();
  for (const terms of counts)
    for (const term of terms.keys())
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const total = items.length;
  const vectors = counts.map((terms) => {
    const vector: Vector = new Map();
    for (const [term, count] of terms) {
      const df = documentFrequency.get(term) ?? 0;
      if (df < 2 || df > total * 0.5) continue;
      const idf = Math.log(total / df);
      vector.set(term, (1 + Math.log(count)) * idf * (term.includes(' ') ? PHRASE_BOOST : 1));
    }
    return vector;
  });
  const order = items
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        a.item.publishedAt.getTime() - b.item.publishedAt.getTime() ||
        a.item.id.localeCompare(b.item.id),
    );
  const clusters: Forming[] = [];
  for (const { index } of order) {
    const vector = vectors[index] as Vector;
    if (vector.size === 0) continue;
    let best: (typeof clusters)[number] | undefined;
    let bestScore = JOIN_SIMILARITY;
    for (const cluster of clusters) {
      const score = cosine(vector, cluster.centroid, cluster.norm);
      if (score >= bestScore) {
        best = cluster;
        bestScore = score;
      }
    }
    if (!best) {
      best = { members: [], centroid: new Map(), norm: 0 };
      clusters.push(best);
    }
    best.members.push(index);
    for (const [term, value] of vector)
      best.centroid.set(term, (best.centroid.get(term) ?? 0) + value);
    best.norm = norm(best.centroid);
  }
  mergeSimilar(clusters);
  return clusters
    .filter((cluster) => cluster.members.length >= minSize)
    .map((cluster) => {
      const themes = themeTerms(
        cluster.centroid,
        cluster.members.map((i) => vectors[i] as Vector),
      );
      return {
        members: cluster.members.map((i) => items[i] as T),
        themes,
        key: [...themes.slice(0, 3)].sort().join('|'),
      };
    });
}

interface Forming {
  members: number[];
  centroid: Vector;
  norm: number;
}

/**
 * Merges, in place, the most similar two clusters while their centroids reach
 * {@link MERGE_SIMILARITY}: a theme whose first signals happened to differ is one cluster again.
 */
function mergeSimilar(clusters: Forming[]): void {
  for (;;) {
    let best: { i: number; j: number; score: number } | undefined;
    for (let i = 0; i < clusters.length; i += 1)
      for (let j = i + 1; j < clusters.length; j += 1) {
        const a = clusters[i] as Forming;
        const b = clusters[j] as Forming;
        const score = cosine(a.centroid, b.centroid, b.norm);
        if (score >= MERGE_SIMILARITY && (!best || score > best.score)) best = { i, j, score };
      }
    if (!best) return;
    const into = clusters[best.i] as Forming;
    const from = clusters[best.j] as Forming;
    into.members.push(...from.members);
    for (const [term, value] of from.centroid)
      into.centroid.set(term, (into.centroid.get(term) ?? 0) + value);
    into.norm = norm(into.centroid);
    clusters.splice(best.j, 1);
  }
}

/**
 * The terms naming a cluster: by centroid weight times how many members have them, phrases
 * first covering their words (a word inside a chosen phrase is not chosen again).
 */
function themeTerms(centroid: Vector, members: readonly Vector[]): string[] {
  const ranked = [...centroid.entries()]
    .map(([term, weight]) => ({
      term,
      score: weight * members.filter((vector) => vector.has(term)).length,
    }))
    .sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
  const chosen: string[] = [];
  for (const { term } of ranked) {
    if (chosen.length >= THEME_TERMS) break;
    const words = term.split(' ');
    const covered = chosen.some((c) => words.every((w) => c.split(' ').includes(w)));
    if (!covered) chosen.push(term);
  }
  return chosen;
}

/** Jaccard similarity of two theme term lists (their words): how alike two themes are. */
export function themeSimilarity(a: readonly string[], b: readonly string[]): number {
  const words = (terms: readonly string[]) => new Set(terms.flatMap((t) => t.split(' ')));
  const left = words(a);
  const right = words(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  return shared / (left.size + right.size - shared);
}
