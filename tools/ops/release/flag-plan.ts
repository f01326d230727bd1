import { FEATURE_FLAGS, type FeatureFlag } from '../../../services/catalog.js';
import type { ReleaseConfig } from './release-config.js';
import { MESSAGE_PREFIX, type ReleasePlan } from './release-plans.js';

/** `NAME=true|false` as given to `--set`, checked: the flag must be one of the catalog's five. */
export function parseFlagSetting(text: string): { flag: FeatureFlag; value: boolean } {
  const [flag, value, ...rest] = text.split('=');
  if (!FEATURE_FLAGS.includes(flag as FeatureFlag)) {
    throw new Error(
      `--set: "${flag}" is not a feature flag; expected one of ${FEATURE_FLAGS.join(', ')}`,
    );
  }
  if (rest.length || (value !== 'true' && value !== 'false')) {
    throw new Error(`--set: expected ${flag}=true or ${flag}=false, got "${text}"`);
  }
  return { flag: flag as FeatureFlag, value: value === 'true' };
}

/**
 * Feature flag changes as one update whose message names each flag, its old and new value and
 * the operator: the stack's update history is the audit trail. `unset` is a flag the stack leaves
 * to each service's own default. Flags already at the value are left out; nothing left, no plan.
 */
export function flagPlan(
  config: ReleaseConfig,
  settings: readonly { flag: FeatureFlag; value: boolean }[],
  operator: string,
): ReleasePlan | undefined {
  const changed = settings.filter(({ flag, value }) => config.featureFlags[flag] !== value);
  if (!changed.length) return undefined;
  const described = changed.map(
    ({ flag, value }) => `${flag} ${config.featureFlags[flag] ?? 'unset'} → ${value}`,
  );
  return {
    changes: changed.map(({ flag, value }) => ({ path: `services.featureFlags.${flag}`, value })),
    message: `${MESSAGE_PREFIX.flag}${described.join(', ')} by ${operator}`,
  };
}
