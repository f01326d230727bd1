import { setTimeout as sleep } from 'node:timers/promises';
import { RULE_SETTINGS } from '../../../infra/alerting/rules/settings.js';
import type { InstantQuery } from '../prometheus-query.js';
import { promDurationMs } from './prom-duration.js';
import { type ReleaseSeries, type RollbackTrigger, rollbackTriggers } from './triggers.js';

/** How long and how often a release is watched, and how long a trigger must hold to count. */
export interface WatchSettings {
  /** The watch window after the switch. Default 10 minutes. */
  readonly durationMs: number;
  /** Time between checks. Default 15 s. */
  readonly intervalMs: number;
  /** A trigger must hold this long: the rollback alerts' `for` (RULE_SETTINGS.rollbackFor). */
  readonly sustainMs: number;
}

export const DEFAULT_WATCH: WatchSettings = {
  durationMs: 10 * 60_000,
  intervalMs: 15_000,
  sustainMs: promDurationMs(RULE_SETTINGS.rollbackFor),
};

/** A trigger that held for the sustain period: why the release is rolled back. */
export interface Breach {
  readonly alert: RollbackTrigger['alert'];
  readonly source: RollbackTrigger['source'];
  readonly value: number;
  readonly threshold: number;
  readonly unit: RollbackTrigger['unit'];
  /** When the trigger was first seen above its threshold, and when it had held long enough. */
  readonly since: string;
  readonly at: string;
}

export type WatchResult =
  /** Every check stayed within the triggers for the whole window (`checks` with traffic). */
  | { readonly outcome: 'held'; readonly checks: number; readonly judged: number }
  | { readonly outcome: 'breached'; readonly breach: Breach }
  /** Prometheus did not answer for the sustain period: nothing can be said, nothing is switched. */
  | { readonly outcome: 'blind'; readonly reason: string };

export interface ReleaseWatch extends ReleaseSeries {
  readonly query: InstantQuery;
  readonly settings?: Partial<WatchSettings>;
  /** Progress lines for a person. */
  readonly log?: (line: string) => void;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

/**
 * Watches one release after its switch: every `intervalMs` it asks Prometheus for each of the
 * catalog's rollback triggers over the release's own series, and ends at the first trigger that
 * stays above its threshold for `sustainMs` (breached), when the window passes (held), or when
 * Prometheus has not answered for `sustainMs` (blind: a watch that cannot see is no pass, but
 * not a reason to switch either). A check without traffic judges nothing.
 */
export async function watchRelease(watch: ReleaseWatch): Promise<WatchResult> {
  const settings = { ...DEFAULT_WATCH, ...watch.settings };
  const now = watch.now ?? Date.now;
  const log = watch.log ?? (() => {});
  const triggers = rollbackTriggers(watch);
  const endsAt = now() + settings.durationMs;
  const aboveSince = new Map<RollbackTrigger['alert'], number>();
  let blindSince: number | undefined;
  let checks = 0;
  let judged = 0;
  for (;;) {
    const checkedAt = now();
    const values = await Promise.all(
      triggers.map((trigger) => triggerValue(watch.query, trigger)),
    ).then(
      (found) => {
        blindSince = undefined;
        return found;
      },
      (error: unknown) => {
        blindSince ??= checkedAt;
        log(`prometheus did not answer: ${(error as Error).message}`);
        return undefined;
      },
    );
    if (blindSince !== undefined && checkedAt - blindSince >= settings.sustainMs) {
      return { outcome: 'blind', reason: `Prometheus has not answered since ${iso(blindSince)}` };
    }
    checks++;
    if (values?.some((value) => value !== undefined)) judged++;
    for (const [index, trigger] of triggers.entries()) {
      const value = values?.[index];
      if (values && (value === undefined || value <= trigger.threshold)) {
        aboveSince.delete(trigger.alert);
        continue;
      }
      if (value === undefined) continue;
      const since = aboveSince.get(trigger.alert) ?? checkedAt;
      aboveSince.set(trigger.alert, since);
      log(
        `${trigger.alert}: ${value} above ${trigger.threshold} ${trigger.unit} since ${iso(since)}`,
      );
      if (checkedAt - since >= settings.sustainMs) {
        const { alert, source, threshold, unit } = trigger;
        return {
          outcome: 'breached',
          breach: { alert, source, value, threshold, unit, since: iso(since), at: iso(checkedAt) },
        };
      }
    }
    if (now() >= endsAt) return { outcome: 'held', checks, judged };
    await sleep(Math.min(settings.intervalMs, Math.max(0, endsAt - now())), undefined, {
      signal: watch.signal,
    });
  }
}

/** The trigger's value now: the highest of its series, undefined without traffic. */
async function triggerValue(
  query: InstantQuery,
  trigger: RollbackTrigger,
): Promise<number | undefined> {
  const samples = await query(trigger.expr);
  return samples.length ? Math.max(...samples.map((sample) => sample.value)) : undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();
