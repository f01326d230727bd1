import { stringify } from 'yaml';
import type { StackName } from '../../../services/catalog.js';
import { alertRules } from './alert-rules.js';
import { type PromtoolOptions, promtoolTests } from './promtool-tests.js';

/** The rule file's name; `tests.yaml` loads it from the same directory. */
export const RULES_FILE = 'rules.yaml';
export const TESTS_FILE = 'tests.yaml';

const toYaml = (value: unknown) =>
  // No anchors: a reader (and promtool) sees every rule's labels in place.
  stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });

/**
 * `rules.yaml` (plain `groups:`, what `promtool check rules` and Prometheus read) and
 * `tests.yaml` (promtool unit tests of it), from one catalog.
 */
export function renderRuleFiles(
  stack: StackName,
  options: Omit<PromtoolOptions, 'ruleFile'> = {},
): Record<typeof RULES_FILE | typeof TESTS_FILE, string> {
  return {
    [RULES_FILE]: toYaml({ groups: alertRules(stack, options) }),
    [TESTS_FILE]: toYaml(promtoolTests(stack, { ...options, ruleFile: RULES_FILE })),
  };
}
