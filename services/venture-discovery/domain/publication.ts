/** What a run needs to know of a theme's opportunity before scoring it again. */
export interface PreviousOpportunity {
  /** Its opportunity was published on aia.ventures.opportunities.v1 by an earlier run. */
  readonly published: boolean;
  readonly status: 'open' | 'accepted' | 'rejected';
}

/**
 * Whether a run publishes a theme's opportunity: the first time its score reaches the threshold
 * (a new theme, or one that scored below it so far), never again after that, and never once
 * someone rejected it.
 */
export function publishes(
  previous: PreviousOpportunity | undefined,
  score: number,
  threshold: number,
): boolean {
  if (score < threshold) return false;
  if (previous === undefined) return true;
  return !previous.published && previous.status !== 'rejected';
}
