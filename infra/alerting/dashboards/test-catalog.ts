import {
  type AlertThresholds,
  catalog,
  type ServiceDefinition,
  type ServiceName,
  STACKS,
} from '../../../services/catalog.js';
import type { Catalog } from './catalog.js';

/** Changes to one service: its SLO and rollback fields, and alert thresholds on every stack. */
export interface ServiceChanges {
  readonly slo?: Partial<ServiceDefinition['slo']>;
  readonly rollback?: Partial<ServiceDefinition['rollback']>;
  readonly alerts?: Partial<AlertThresholds>;
}

/** A copy of `base` (the real catalog) with `changes` applied to `service`; `base` is untouched. */
export function alteredCatalog(
  service: ServiceName,
  changes: ServiceChanges,
  base: Catalog = catalog,
): Catalog {
  const definition = base[service];
  const alerts = Object.fromEntries(
    STACKS.map((stack) => [stack, { ...definition.alerts[stack], ...changes.alerts }]),
  ) as ServiceDefinition['alerts'];
  return {
    ...base,
    [service]: {
      ...definition,
      slo: { ...definition.slo, ...changes.slo },
      rollback: { ...definition.rollback, ...changes.rollback },
      alerts,
    },
  };
}
