import { type Cluster, clusterSignals } from './clustering.js';
import { removeNearDuplicates } from './near-duplicates.js';
import { type Capabilities, type ScoredCluster, scoreCluster } from './scoring.js';
import type { Signal } from './signal.js';
import type { Weights } from './weights.js';

/** A candidate opportunity: a cluster of signals, named and scored. */
export interface Candidate {
  readonly key: string;
  readonly title: string;
  readonly summary: string;
  readonly themes: string[];
  readonly signals: Signal[];
  readonly scored: ScoredCluster;
}

export interface DiscoveryInput {
  readonly signals: readonly Signal[];
  readonly now: Date;
  readonly windowDays: number;
  readonly previousThemes: readonly (readonly string[])[];
  readonly capabilities: Capabilities;
  readonly weights: Weights;
  /** Fewest signals a theme needs to be a candidate. Default 2. */
  readonly minClusterSize?: number;
}

export interface DiscoveryResult {
  /** Signals left after near-duplicates were removed. */
  readonly kept: number;
  readonly duplicates: number;
  readonly clusters: number;
  /** Best first (score, then key). */
  readonly candidates: Candidate[];
}

const titleCase = (term: string) => term.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

/**
 * The deterministic discovery path, without I/O: near-duplicates removed, signals clustered into
 * themes, each theme scored. The same input always gives the same candidates in the same order.
 */
export function discover(input: DiscoveryInput): DiscoveryResult {
  const { kept, removed } = removeNearDuplicates(input.signals);
  const clusters = clusterSignals(kept, input.minClusterSize ?? 2);
  const largest = clusters.reduce((max, c) => Math.max(max, c.members.length), 0);
  const candidates = clusters
    .map((cluster) => candidateOf(cluster, input, largest))
    .sort((a, b) => b.scored.score - a.scored.score || a.key.localeCompare(b.key));
  return { kept: kept.length, duplicates: removed, clusters: clusters.length, candidates };
}

function candidateOf(cluster: Cluster<Signal>, input: DiscoveryInput, largest: number): Candidate {
  const scored = scoreCluster(cluster, {
    now: input.now,
    windowDays: input.windowDays,
    largestCluster: largest,
    previousThemes: input.previousThemes,
    capabilities: input.capabilities,
    weights: input.weights,
  });
  const signals = [...cluster.members].sort(
    (a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || a.id.localeCompare(b.id),
  );
  const sources = new Set(signals.map((s) => s.sourceName)).size;
  const latest = signals[0];
  return {
    key: cluster.key,
    title: cluster.themes.slice(0, 2).map(titleCase).join(' · ').slice(0, 500),
    summary:
      `${signals.length} signals from ${sources} source${sources === 1 ? '' : 's'} about ${cluster.themes.slice(0, 4).join(', ')}${latest ? `; latest: ${latest.title}` : ''}`.slice(
        0,
        2_000,
      ),
    themes: cluster.themes,
    signals,
    scored,
  };
}

/**
 * The plain baseline the benchmark compares with: the same clusters, ranked by how many signals
 * mention them (then key).
 */
export function rankByMentions(input: DiscoveryInput): Cluster<Signal>[] {
  const { kept } = removeNearDuplicates(input.signals);
  return clusterSignals(kept, input.minClusterSize ?? 2).sort(
    (a, b) => b.members.length - a.members.length || a.key.localeCompare(b.key),
  );
}
