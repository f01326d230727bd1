export { kebabCase, runbookUrl } from './alert.js';
export {
  alertRules,
  PLATFORM,
  platformRuleGroups,
  type RuleOptions,
  serviceRuleGroups,
} from './alert-rules.js';
export { EXPORTER_METRICS, type ExporterMetric } from './exporter-metrics.js';
export { groupMetricNames, metricNames, unknownMetrics } from './metric-names.js';
export {
  type PrometheusRuleObject,
  prometheusRuleObjects,
  RULES_NAMESPACE,
} from './prometheus-rule.js';
export { type PromtoolOptions, promtoolTests } from './promtool-tests.js';
export { RULES_FILE, renderRuleFiles, TESTS_FILE } from './render.js';
export {
  BURN_RATE_WINDOWS,
  DEFAULT_NAMESPACES,
  RULE_SETTINGS,
  RUNBOOK_BASE_URL,
  RUNBOOK_DIR,
  type RuleNamespaces,
} from './settings.js';
export { RECORDS } from './signals.js';
export type * from './types.js';
