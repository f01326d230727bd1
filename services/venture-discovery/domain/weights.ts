/**
 * The score's components, their weights, and how feedback moves the weights: bounded per run,
 * each weight within [{@link MIN_WEIGHT}, {@link MAX_WEIGHT}], always summing to 1.
 */

/** The score's components, in the order they are shown. */
export const COMPONENTS = [
  'signal_strength',
  'growth',
  'novelty',
  'competition_density',
  'capability_fit',
  'confidence',
] as const;

export type Component = (typeof COMPONENTS)[number];
export type Weights = Readonly<Record<Component, number>>;
export type ComponentValues = Readonly<Record<Component, number>>;

/** No component is ever ignored, nor alone decides. */
export const MIN_WEIGHT = 0.02;
export const MAX_WEIGHT = 0.6;
/** The most a weight moves in one run, whatever the feedback: ten rejections are not a revolution. */
export const MAX_STEP = 0.05;
/** How far one verdict moves a weight per unit of the component's distance from the mean. */
export const LEARNING_RATE = 0.02;

/** The weights when the stack configures none. */
export const DEFAULT_WEIGHTS: Weights = {
  signal_strength: 0.25,
  growth: 0.2,
  novelty: 0.15,
  competition_density: 0.15,
  capability_fit: 0.1,
  confidence: 0.15,
};

/** Weights from configuration that break a rule; the message lists each problem. */
export class WeightsError extends Error {
  override readonly name = 'WeightsError';
}

/**
 * Parses `signal_strength=0.3,growth=0.2,...` (the `DISCOVERY_WEIGHTS` setting): every component
 * once, each within [MIN_WEIGHT, MAX_WEIGHT], summing to 1 (within 0.001).
 */
export function parseWeights(text: string): Weights {
  const problems: string[] = [];
  const found: Partial<Record<Component, number>> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=').map((p) => p.trim());
    if (!name || value === undefined) {
      problems.push(`"${part}" is not name=value`);
      continue;
    }
    if (!(COMPONENTS as readonly string[]).includes(name)) {
      problems.push(`${name} is not a component (expected one of ${COMPONENTS.join(', ')})`);
      continue;
    }
    const weight = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || weight < MIN_WEIGHT || weight > MAX_WEIGHT)
      problems.push(`${name} must be a number from ${MIN_WEIGHT} to ${MAX_WEIGHT}, got ${value}`);
    else if (found[name as Component] !== undefined) problems.push(`${name} is given twice`);
    else found[name as Component] = weight;
  }
  for (const component of COMPONENTS)
    if (found[component] === undefined && !problems.some((p) => p.startsWith(component)))
      problems.push(`${component} is missing`);
  const sum = Object.values(found).reduce((a, b) => a + b, 0);
  if (problems.length === 0 && Math.abs(sum - 1) > 0.001)
    problems.push(`the weights sum to ${sum.toFixed(3)}, not 1`);
  if (problems.length > 0) throw new WeightsError(problems.join('; '));
  return found as Weights;
}

/** One verdict on an opportunity, with the component values it was scored with. */
export interface Verdict {
  readonly verdict: 'accept' | 'reject';
  readonly components: ComponentValues;
}

/** How one run moved one weight. */
export interface WeightChange {
  readonly from: number;
  readonly to: number;
}

/**
 * The weights for the next run: for each verdict, every component above the opportunity's mean
 * component value gains weight on an accept and loses it on a reject (below the mean: the
 * opposite), by {@link LEARNING_RATE} times its distance from the mean. The moves sum to zero, so
 * the weights keep summing to 1. A weight at a bound that would move past it stays (the others'
 * moves are re-centred without it); then all moves are scaled down together until none exceeds
 * ±{@link MAX_STEP} and none crosses a bound.
 */
export function adjustWeights(
  base: Weights,
  verdicts: readonly Verdict[],
): { weights: Weights; changes: Partial<Record<Component, WeightChange>> } {
  if (verdicts.length === 0) return { weights: base, changes: {} };
  const moves = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  for (const { verdict, components } of verdicts) {
    const mean = COMPONENTS.reduce((sum, c) => sum + components[c], 0) / COMPONENTS.length;
    const sign = verdict === 'accept' ? 1 : -1;
    for (const c of COMPONENTS) moves[c] += sign * LEARNING_RATE * (components[c] - mean);
  }
  const stuck = new Set<Component>();
  for (let round = 0; round < COMPONENTS.length; round += 1) {
    const free = COMPONENTS.filter((c) => !stuck.has(c));
    const mean = free.reduce((sum, c) => sum + moves[c], 0) / Math.max(1, free.length);
    for (const c of COMPONENTS) moves[c] = stuck.has(c) ? 0 : moves[c] - mean;
    const blocked = free.filter(
      (c) =>
        (moves[c] > 0 && base[c] >= MAX_WEIGHT - 1e-12) ||
        (moves[c] < 0 && base[c] <= MIN_WEIGHT + 1e-12),
    );
    if (blocked.length === 0) break;
    for (const c of blocked) stuck.add(c);
  }
  let scale = 1;
  for (const c of COMPONENTS) {
    const move = moves[c];
    if (move === 0) continue;
    scale = Math.min(scale, MAX_STEP / Math.abs(move));
    scale = Math.min(
      scale,
      move > 0 ? (MAX_WEIGHT - base[c]) / move : (base[c] - MIN_WEIGHT) / -move,
    );
  }
  const weights = roundToSum(
    Object.fromEntries(COMPONENTS.map((c) => [c, base[c] + scale * moves[c]])) as Record<
      Component,
      number
    >,
  );
  const changes: Partial<Record<Component, WeightChange>> = {};
  for (const c of COMPONENTS)
    if (Math.abs(weights[c] - base[c]) > 1e-9) changes[c] = { from: base[c], to: weights[c] };
  return { weights, changes };
}

/** Weights rounded to six decimals, the rounding remainder given to the largest so they sum to 1. */
function roundToSum(weights: Record<Component, number>): Weights {
  const rounded = { ...weights };
  for (const c of COMPONENTS) rounded[c] = Math.round(weights[c] * 1e6) / 1e6;
  const remainder = 1 - COMPONENTS.reduce((sum, c) => sum + rounded[c], 0);
  const largest = COMPONENTS.reduce((a, b) => (rounded[b] > rounded[a] ? b : a));
  rounded[largest] = Math.round((rounded[largest] + remainder) * 1e6) / 1e6;
  return rounded;
}
