import type { ServiceDefinition, ServiceName, StackName } from '../../../services/catalog.js';

/** The service catalog as the generators read it; tests pass altered copies. */
export type Catalog = Readonly<Record<ServiceName, ServiceDefinition>>;

type DomainThreshold = 'tokenTransactionFailurePercent' | 'agentFailurePercent';

/** A service that sets a domain threshold, with the threshold's value on the stack. */
export interface ThresholdOwner {
  readonly service: string;
  readonly value: number;
}

/**
 * The services that set `threshold` on `stack`: the ones exporting the metric it applies to.
 * Fails with a sentence when none does, since the dashboard would then be empty.
 */
export function thresholdOwners(
  catalog: Catalog,
  stack: StackName,
  threshold: DomainThreshold,
): ThresholdOwner[] {
  const owners = Object.values(catalog).flatMap((definition) => {
    const value = definition.alerts[stack][threshold];
    return value === undefined ? [] : [{ service: definition.name, value }];
  });
  if (owners.length === 0) {
    throw new Error(
      `No service in the catalog sets alerts.${stack}.${threshold}: set it in the definition of the service that exports the metric (services/<name>/definition.ts, extraAlerts).`,
    );
  }
  return owners;
}

/** The value every service shares for `pick`, or undefined when services differ. */
export function sharedValue(
  catalog: Catalog,
  pick: (definition: ServiceDefinition) => number | undefined,
): number | undefined {
  const values = new Set(Object.values(catalog).map(pick));
  return values.size === 1 ? [...values][0] : undefined;
}

/** Colours of threshold lines: the objective, the alert threshold and the rollback trigger. */
export const LINE_COLORS = { objective: 'yellow', alert: 'orange', rollback: 'red' } as const;
