import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allPolicies } from '../../policies/rules/index.js';
import {
  type PackConfig,
  type PlannedResource,
  runPolicies,
  type Violation,
} from './run-policies.js';

const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'policies', 'config');

/** The pack configuration of `stack` (`policies/config/<stack>.json`); none means pack defaults. */
export function packConfigFor(stack: string): PackConfig {
  const file = join(CONFIG_DIR, `${stack}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackConfig) : {};
}

export interface PolicyVerdict {
  readonly stack: string;
  readonly policies: number;
  readonly resources: number;
  readonly violations: Violation[];
  readonly mandatory: number;
}

/** Runs the whole pack over planned resources (inputs unwrapped) with the stack's configuration. */
export async function checkPlan(
  stack: string,
  resources: readonly PlannedResource[],
): Promise<PolicyVerdict> {
  const violations = await runPolicies({
    resources,
    policies: allPolicies,
    config: packConfigFor(stack),
    packDefault: 'mandatory',
  });
  return {
    stack,
    policies: allPolicies.length,
    resources: resources.length,
    violations,
    mandatory: violations.filter((v) => v.enforcementLevel === 'mandatory').length,
  };
}
