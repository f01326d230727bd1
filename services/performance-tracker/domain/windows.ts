/**
 * The windows scorecards are computed over. `sliding`: the runs that finished in the last
 * `days` before the scorecard's moment, each counting once. `decayed`: every run weighted
 * 2^(-age / halfLife), so recent runs count most and nothing drops off a cliff; runs older than
 * DECAY_HORIZON_HALF_LIVES half-lives (weight under 0.1 %) are left out.
 */
export const WINDOW_NAMES = ['sliding', 'decayed'] as const;
export type WindowName = (typeof WINDOW_NAMES)[number];

/** Beyond this many half-lives a run weighs under 2^-10 (0.1 %): left out of `decayed`. */
export const DECAY_HORIZON_HALF_LIVES = 10;

/** The ranking leaderboards show and `aia.performance.rankings.v1` carries unless asked otherwise. */
export const DEFAULT_WINDOW: WindowName = 'sliding';

/** The windows' settings (SCORECARD_WINDOW_DAYS, SCORECARD_HALF_LIFE_HOURS). */
export interface WindowSettings {
  readonly slidingDays: number;
  readonly halfLifeHours: number;
}

const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 24 * HOUR_SECONDS;

/** How far back a window reaches from its moment, in seconds. */
export function windowSpanSeconds(window: WindowName, settings: WindowSettings): number {
  return window === 'sliding'
    ? settings.slidingDays * DAY_SECONDS
    : settings.halfLifeHours * HOUR_SECONDS * DECAY_HORIZON_HALF_LIVES;
}

/** What a scorecard says about its window, for people reading it. */
export function describeWindow(window: WindowName, asOf: string, settings: WindowSettings) {
  const from = new Date(Date.parse(asOf) - windowSpanSeconds(window, settings) * 1_000);
  return window === 'sliding'
    ? { name: window, from: from.toISOString(), to: asOf, days: settings.slidingDays }
    : {
        name: window,
        from: from.toISOString(),
        to: asOf,
        half_life_hours: settings.halfLifeHours,
      };
}
