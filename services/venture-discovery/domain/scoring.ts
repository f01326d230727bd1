import { type Capabilities, capabilityFit } from './capability-fit.js';
import { type Cluster, themeSimilarity } from './clustering.js';
import type { Signal } from './signal.js';
import { competitionCues, type Entity, extractEntities } from './terms.js';
import { COMPONENTS, type Component, type ComponentValues, type Weights } from './weights.js';

export type { Capabilities } from './capability-fit.js';

/** What scoring compares a cluster with. */
export interface ScoringContext {
  readonly now: Date;
  /** The lookback window: growth compares its later half with its earlier half. */
  readonly windowDays: number;
  /** The size of the largest cluster of the run: signal strength is relative to it. */
  readonly largestCluster: number;
  /** Theme terms of opportunities earlier runs found: novelty is distance from them. */
  readonly previousThemes: readonly (readonly string[])[];
  readonly capabilities: Capabilities;
  readonly weights: Weights;
}

/** One component of a score, explained. */
export interface ScoredComponent {
  readonly value: number;
  readonly weight: number;
  /** value × weight: the components' contributions sum to the score. */
  readonly contribution: number;
  readonly explanation: string;
  /** True when the value is the neutral 0.5 because its input was unavailable. */
  readonly neutral?: boolean;
}

export interface ScoredCluster {
  readonly score: number;
  readonly components: Readonly<Record<Component, ScoredComponent>>;
  readonly entities: Entity[];
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;
const clamp01 = (value: number) => Math.max(0, Math.min(1, value));

/**
 * Scores a cluster with explainable components, each from 0 to 1 (1 is better):
 * - signal_strength: log(1 + size) / log(1 + largest cluster's size);
 * - growth: the share of its signals in the later half of the window, smoothed ((later + 1) / (all + 2));
 * - novelty: 1 − the greatest theme similarity to an opportunity of an earlier run;
 * - competition_density: 1 − density, density = (organisations named + competition words) / (2 × size), capped at 1;
 * - capability_fit: the share of its theme words found among the words of the platform's skills
 *   and tools in the knowledge graph (×2, capped at 1; see capability-fit.ts), explained by the
 *   skills and tools matched; 0.5 and marked neutral when the knowledge graph was unavailable;
 * - confidence: half from distinct sources (3 or more = full), half from size (5 or more = full).
 */
export function scoreCluster(cluster: Cluster<Signal>, context: ScoringContext): ScoredCluster {
  const size = cluster.members.length;
  const values: Record<Component, { value: number; explanation: string; neutral?: boolean }> =
    {} as never;

  values.signal_strength = {
    value: Math.log(1 + size) / Math.log(1 + Math.max(size, context.largestCluster)),
    explanation: `${size} signals; the run's largest theme has ${Math.max(size, context.largestCluster)}`,
  };

  const midpoint = context.now.getTime() - (context.windowDays * 86_400_000) / 2;
  const later = cluster.members.filter((s) => s.publishedAt.getTime() >= midpoint).length;
  values.growth = {
    value: (later + 1) / (size + 2),
    explanation: `${later} of ${size} signals in the later half of the ${context.windowDays}-day window`,
  };

  const closest = context.previousThemes.reduce(
    (best, themes) => Math.max(best, themeSimilarity(cluster.themes, themes)),
    0,
  );
  values.novelty = {
    value: 1 - closest,
    explanation:
      context.previousThemes.length === 0
        ? 'no earlier run to compare with'
        : `closest earlier opportunity shares ${Math.round(closest * 100)} % of its theme words`,
  };

  const text = cluster.members.map((s) => `${s.title}. ${s.body}`).join('\n');
  const entities = mergeEntities(
    cluster.members.map((s) => extractEntities(`${s.title}. ${s.body}`)),
  );
  const organisations = entities.filter((e) => e.kind === 'organization').length;
  const cues = competitionCues(text);
  const density = clamp01((organisations + cues) / (2 * size));
  values.competition_density = {
    value: 1 - density,
    explanation: `${organisations} organisations named and ${cues} competition words in ${size} signals: density ${round(density)}, so ${round(1 - density)}`,
  };

  if (context.capabilities === 'unavailable') {
    values.capability_fit = {
      value: 0.5,
      explanation: 'the knowledge graph was unavailable: neutral',
      neutral: true,
    };
  } else {
    const fit = capabilityFit(cluster.themes, context.capabilities);
    values.capability_fit = { value: fit.value, explanation: fit.explanation };
  }

  const sources = new Set(cluster.members.map((s) => s.sourceId)).size;
  values.confidence = {
    value: 0.5 * Math.min(1, sources / 3) + 0.5 * Math.min(1, size / 5),
    explanation: `${size} signals from ${sources} source${sources === 1 ? '' : 's'}`,
  };

  const components = Object.fromEntries(
    COMPONENTS.map((c) => {
      const { value, explanation, neutral } = values[c];
      const weight = context.weights[c];
      const scored: ScoredComponent = {
        value: round(clamp01(value)),
        weight,
        contribution: round(clamp01(value) * weight),
        explanation,
        ...(neutral ? { neutral } : {}),
      };
      return [c, scored];
    }),
  ) as Record<Component, ScoredComponent>;
  const score = round(clamp01(COMPONENTS.reduce((sum, c) => sum + components[c].contribution, 0)));
  return { score, components, entities };
}

/** The component values of a scored cluster, as feedback reads them. */
export const componentValues = (scored: ScoredCluster): ComponentValues =>
  Object.fromEntries(COMPONENTS.map((c) => [c, scored.components[c].value])) as ComponentValues;

function mergeEntities(lists: readonly Entity[][]): Entity[] {
  const merged = new Map<string, Entity>();
  for (const list of lists)
    for (const entity of list) merged.set(entity.name.toLowerCase(), entity);
  return [...merged.values()].sort((a, b) => a.name.localeCompare(b.name)).slice(0, 50);
}
