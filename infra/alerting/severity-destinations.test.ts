import { describe, expect, it } from 'vitest';
import { alertmanagerConfig, RECEIVERS, type Receiver } from './alertmanager/index.js';
import { SAMPLE_ARGS } from './alertmanager/sample-args.js';
import { type Destination, SEVERITY_DESTINATIONS } from './severity-destinations.js';

/** The destinations a receiver of Alertmanager's configuration sends to. */
const destinationsOf = (receiver: Receiver | undefined): Destination[] => [
  ...(receiver?.pagerduty_configs ? (['pagerduty'] as const) : []),
  ...(receiver?.slack_configs ? (['slack'] as const) : []),
  ...(receiver?.email_configs ? (['email'] as const) : []),
];

describe('SEVERITY_DESTINATIONS', () => {
  const config = alertmanagerConfig(SAMPLE_ARGS);
  const receiver = (name: string) => config.receivers.find((r) => r.name === name);
  const routedTo = (severity: string) =>
    config.route.routes?.find((route) => route.matchers?.includes(`severity="${severity}"`))
      ?.receiver;

  it("is what Alertmanager's receiver for each severity sends to", () => {
    for (const [severity, destinations] of Object.entries(SEVERITY_DESTINATIONS)) {
      const name = routedTo(severity);
      expect(name, severity).toBeDefined();
      expect(destinationsOf(receiver(name as string)), severity).toEqual(destinations);
    }
  });

  it("is what each PagerDuty area's receiver sends a critical alert to", () => {
    const areaRoutes = config.route.routes?.find(
      (route) => route.receiver === RECEIVERS.critical,
    )?.routes;
    expect(areaRoutes?.length).toBeGreaterThan(0);
    for (const route of areaRoutes ?? []) {
      expect(destinationsOf(receiver(route.receiver as string))).toEqual(
        SEVERITY_DESTINATIONS.critical,
      );
    }
  });
});
