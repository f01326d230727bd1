/** PagerDuty Events API v2 endpoint (the same for every account; the routing key picks the service). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface PageEvent {
  /** One line a person reads on their phone. */
  readonly summary: string;
  readonly severity: 'critical' | 'error' | 'warning' | 'info';
  /** What the event is about, e.g. `production/aia-api`. */
  readonly source: string;
  readonly component?: string;
  /** Pages with one key are one incident: a retry does not page twice. */
  readonly dedupKey: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Pager = (event: PageEvent) => Promise<void>;

const PAGE_TIMEOUT_MS = 10_000;

/**
 * Triggers PagerDuty incidents through the Events API v2 with `routingKey` (an integration key
 * of the stack's PagerDuty service: the same routing the alerts use). A direct call: the API is one
 * JSON POST, and PagerDuty's JavaScript client adds nothing for it.
 * @throws Error with PagerDuty's status and message when the event is not accepted (202).
 */
export function pagerDuty(routingKey: string, url = PAGERDUTY_EVENTS_URL): Pager {
  return async (event) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
      body: JSON.stringify({
        routing_key: routingKey,
        event_action: 'trigger',
        dedup_key: event.dedupKey,
        payload: {
          summary: event.summary,
          severity: event.severity,
          source: event.source,
          ...(event.component ? { component: event.component } : {}),
          ...(event.details ? { custom_details: event.details } : {}),
        },
      }),
    });
    if (response.status !== 202) {
      throw new Error(`PagerDuty refused the page (${response.status}): ${await response.text()}`);
    }
  };
}
