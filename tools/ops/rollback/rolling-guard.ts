import type { ServiceName } from '../../../services/catalog.js';
import type { PageEvent, Pager } from '../pagerduty-events.js';
import type { InstantQuery } from '../prometheus-query.js';
import { type Breach, type WatchResult, type WatchSettings, watchRelease } from './watch.js';

/** What one rolling service's watch found. */
export type RolledServiceResult = { readonly service: ServiceName } & (
  | WatchResult
  /** Stopped early: another service breached, and the whole release is rolled back. */
  | { readonly outcome: 'stopped' }
);

/** What the deploy's watch decided about the rolling services' new image, as it is recorded. */
export interface RollingDecision {
  readonly stack: string;
  /** The image the deploy gave the rolling services. */
  readonly image: string;
  /** promoted: the image stays; rolled-back: the previous image is deployed again. */
  readonly outcome: 'promoted' | 'rolled-back' | 'rollback-failed' | 'unverified';
  readonly reason: string;
  /** The first breach, and the service it was seen on. */
  readonly breach?: Breach & { readonly service: ServiceName };
  readonly services: readonly RolledServiceResult[];
  readonly decidedAt: string;
}

export interface RollingGuard {
  readonly stack: string;
  readonly image: string;
  /** The services that rolled to `image` (the catalog's `rollout: 'rolling'` services). */
  readonly services: readonly ServiceName[];
  /** The namespace they run in (the stack output `namespaces.services`). */
  readonly namespace: string;
  readonly query: InstantQuery;
  readonly settings?: Partial<WatchSettings>;
  /** The rate window (default the alert rules'). */
  readonly window?: string;
  readonly log?: (line: string) => void;
  /**
   * Puts the previous image back (in a stack: the one before `image` in its update history,
   * `rollback --to-previous-digest`). Resolves with what was done; rejects when it cannot.
   */
  readonly rollBack: (reason: string) => Promise<string>;
  readonly page: Pager;
  /** Keeps the decision. */
  readonly record: (decision: RollingDecision) => Promise<void>;
}

/**
 * Watches every rolling service after a deploy, each with the release watch (`watchRelease`:
 * the catalog's rollback triggers over its own series, `namespace` and `service="<name>"`),
 * all at once over one window. The first breach stops the others and rolls the image back
 * (`rollBack`), records why and pages critical (a rollback that fails is decided `rollback-failed`,
 * recorded and paged critical too).
 * A service whose watch was blind or saw no traffic at all (no request of a caller counted over
 * the window: the services count no probe or scrape, so pods nobody calls, or no series matched)
 * leaves the image unverified: recorded and paged (warning), nothing rolled back. Otherwise the image is promoted, recorded, nobody paged.
 */
export async function guardRollingServices(guard: RollingGuard): Promise<RollingDecision> {
  const { stack, image } = guard;
  const log = guard.log ?? (() => {});
  const stop = new AbortController();
  const services = await Promise.all(
    guard.services.map(async (service): Promise<RolledServiceResult> => {
      try {
        const result = await watchRelease({
          service,
          namespace: guard.namespace,
          ...(guard.window ? { window: guard.window } : {}),
          query: guard.query,
          ...(guard.settings ? { settings: guard.settings } : {}),
          log: (line) => log(`${service}: ${line}`),
          signal: stop.signal,
        });
        if (result.outcome === 'breached') stop.abort();
        return { service, ...result };
      } catch (error) {
        if (stop.signal.aborted) return { service, outcome: 'stopped' };
        throw error;
      }
    }),
  );
  const decidedAt = () => new Date().toISOString();
  const decide = async (
    decision: Omit<RollingDecision, 'stack' | 'image' | 'services' | 'decidedAt'>,
    severity?: PageEvent['severity'],
  ) => {
    const full: RollingDecision = { stack, image, ...decision, services, decidedAt: decidedAt() };
    await guard.record(full);
    if (severity) await guard.page(pageOf(full, severity));
    return full;
  };

  const breaches = services.flatMap((result) =>
    result.outcome === 'breached' ? [{ ...result.breach, service: result.service }] : [],
  );
  const [breach] = breaches.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (breach) {
    const reason = `${breach.service}: ${breach.alert}: ${breach.value} above ${breach.threshold} ${breach.unit} (${breach.source}) since ${breach.since}`;
    const done = await guard.rollBack(reason).then(
      (what) => ({ outcome: 'rolled-back' as const, reason: `${reason}; ${what}` }),
      (error: unknown) => ({
        outcome: 'rollback-failed' as const,
        reason: `${reason}; rolling back failed: ${(error as Error).message}`,
      }),
    );
    return decide({ ...done, breach }, 'critical');
  }
  const blind = services.flatMap((result) =>
    result.outcome === 'blind' ? [`${result.service} (${result.reason})`] : [],
  );
  const unseen = services.flatMap((result) =>
    result.outcome === 'held' && result.judged === 0 ? [result.service] : [],
  );
  if (blind.length || unseen.length) {
    const reasons = [
      ...(blind.length ? [`the watch could not see ${blind.join(', ')}`] : []),
      ...(unseen.length
        ? [`no traffic of ${unseen.join(', ')} was seen: the rollback triggers could not be judged`]
        : []),
    ];
    return decide({ outcome: 'unverified', reason: reasons.join('; ') }, 'warning');
  }
  return decide({
    outcome: 'promoted',
    reason: `the rollback triggers held for the watch window on ${guard.services.join(', ')}`,
  });
}

function pageOf(decision: RollingDecision, severity: PageEvent['severity']): PageEvent {
  const { stack, image } = decision;
  const summaries: Record<RollingDecision['outcome'], string> = {
    promoted: `${stack}: ${image} promoted on the rolling services`,
    'rolled-back': `${stack}: ${image} rolled back on the rolling services`,
    'rollback-failed': `${stack}: rolling back ${image} FAILED`,
    unverified: `${stack}: ${image} runs on the rolling services but their watch could not judge it`,
  };
  const component = decision.breach?.service;
  return {
    summary: `${summaries[decision.outcome]} — ${decision.reason}`,
    severity,
    source: component ? `${stack}/${component}` : stack,
    ...(component ? { component } : {}),
    dedupKey: `release-watch/${stack}/rolling/${image}`,
    details: { ...decision },
  };
}
