import type { AlertThresholds, RollbackTriggers, Slo, StackName } from './types.js';

/** The seed's service level objectives: 99.9 % availability, p95 under 500 ms. */
export const DEFAULT_SLO: Slo = { availability: 0.999, latencyP95Seconds: 0.5 };

/** The seed's alert thresholds. Staging uses the same figures so alerts are rehearsed there. */
const SEED_THRESHOLDS: AlertThresholds = {
  errorRatePercent: 5,
  latencyP95Seconds: 2,
  memoryPercent: 80,
  cpuPercent: 85,
};

export const DEFAULT_ALERTS: Readonly<Record<StackName, AlertThresholds>> = {
  staging: SEED_THRESHOLDS,
  production: SEED_THRESHOLDS,
};

/** The seed's rollback triggers: error rate above 10 % or p95 above 5 s. */
export const DEFAULT_ROLLBACK: RollbackTriggers = { errorRatePercent: 10, latencyP95Seconds: 5 };

/** Adds service-specific thresholds to the defaults on every stack. */
export function alertsWith(extra: Partial<AlertThresholds>): Record<StackName, AlertThresholds> {
  return {
    staging: { ...DEFAULT_ALERTS.staging, ...extra },
    production: { ...DEFAULT_ALERTS.production, ...extra },
  };
}

/** The container command for a service: one image, the service chosen by argument. */
export const commandFor = (name: string) =>
  ['/nodejs/bin/node', 'dist/services/main.js', name] as const;
