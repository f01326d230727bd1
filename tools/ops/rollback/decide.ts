import type { PageEvent, Pager } from '../pagerduty-events.js';
import { type Breach, type ReleaseWatch, watchRelease } from './watch.js';

/** What the watch decided about one release, as it is recorded. */
export interface ReleaseDecision {
  readonly stack: string;
  readonly service: string;
  readonly colour: string;
  readonly previousColour: string;
  /** promoted: the release stays; rolled-back: traffic is back on the previous colour. */
  readonly outcome: 'promoted' | 'rolled-back' | 'rollback-failed' | 'unverified';
  readonly reason: string;
  readonly breach?: Breach;
  readonly decidedAt: string;
}

export interface ReleaseGuard {
  readonly stack: string;
  readonly watch: ReleaseWatch & { readonly colour: string };
  readonly previousColour: string;
  /**
   * Sends the traffic back to `colour` (in a stack: with the rest of the release, in one
   * `pulumi up`: `rollBackWatchedRelease`). May resolve with what it did beyond the switch (the
   * rolling services rolled back too, or not): the decision's reason carries it, and so the page.
   */
  readonly switchTo: (colour: string, reason: string) => Promise<string | undefined>;
  readonly page: Pager;
  /** Keeps the decision (the release history). */
  readonly record: (decision: ReleaseDecision) => Promise<void>;
}

/**
 * Watches a release just switched to `watch.colour` and acts on what the watch finds: a breach
 * switches back to `previousColour` (and rolls back what else the release changed, as `switchTo`
 * reports), records why and pages (critical); a blind watch switches
 * nothing but records and pages (warning: the release is live and unverified), and so does a
 * watch that saw no traffic at all; a held watch that saw traffic records the promotion. A failed switch is recorded and paged as such, then thrown.
 */
export async function guardRelease(guard: ReleaseGuard): Promise<ReleaseDecision> {
  const { stack, watch, previousColour } = guard;
  const base = { stack, service: watch.service, colour: watch.colour, previousColour };
  const result = await watchRelease(watch);
  const decidedAt = () => new Date().toISOString();
  // No check saw traffic: the triggers held on nothing, which proves nothing (a query that
  // matches no series looks the same). Live but unverified, never promoted.
  if (result.outcome === 'held' && result.judged === 0) {
    const decision: ReleaseDecision = {
      ...base,
      outcome: 'unverified',
      reason: `no traffic of ${watch.service}${watch.colour ? ` ${watch.colour}` : ''} was seen in ${result.checks} checks: the rollback triggers could not be judged`,
      decidedAt: decidedAt(),
    };
    await guard.record(decision);
    await guard.page(pageOf(decision, 'warning'));
    return decision;
  }
  if (result.outcome === 'held') {
    const decision: ReleaseDecision = {
      ...base,
      outcome: 'promoted',
      reason: `the rollback triggers held for the watch window (${result.judged} of ${result.checks} checks saw traffic)`,
      decidedAt: decidedAt(),
    };
    await guard.record(decision);
    return decision;
  }
  if (result.outcome === 'blind') {
    const decision: ReleaseDecision = {
      ...base,
      outcome: 'unverified',
      reason: result.reason,
      decidedAt: decidedAt(),
    };
    await guard.record(decision);
    await guard.page(pageOf(decision, 'warning'));
    return decision;
  }
  const { breach } = result;
  const reason = `${breach.alert}: ${breach.value} above ${breach.threshold} ${breach.unit} (${breach.source}) since ${breach.since}`;
  let done: string | undefined;
  try {
    done = await guard.switchTo(previousColour, reason);
  } catch (error) {
    const failed: ReleaseDecision = {
      ...base,
      outcome: 'rollback-failed',
      reason: `${reason}; switching back to ${previousColour} failed: ${(error as Error).message}`,
      breach,
      decidedAt: decidedAt(),
    };
    await guard.record(failed);
    await guard.page(pageOf(failed, 'critical'));
    throw error;
  }
  const decision: ReleaseDecision = {
    ...base,
    outcome: 'rolled-back',
    reason: done ? `${reason}; ${done}` : reason,
    breach,
    decidedAt: decidedAt(),
  };
  await guard.record(decision);
  await guard.page(pageOf(decision, 'critical'));
  return decision;
}

function pageOf(decision: ReleaseDecision, severity: PageEvent['severity']): PageEvent {
  const { stack, service, colour, previousColour } = decision;
  const summaries: Record<ReleaseDecision['outcome'], string> = {
    promoted: `${stack}/${service}: ${colour} promoted`,
    'rolled-back': `${stack}/${service}: ${colour} rolled back to ${previousColour}`,
    'rollback-failed': `${stack}/${service}: rolling ${colour} back to ${previousColour} FAILED`,
    unverified: `${stack}/${service}: ${colour} is live but its release watch could not see`,
  };
  return {
    summary: `${summaries[decision.outcome]} — ${decision.reason}`,
    severity,
    source: `${stack}/${service}`,
    component: service,
    dedupKey: `release-watch/${stack}/${service}/${colour}`,
    details: { ...decision },
  };
}
