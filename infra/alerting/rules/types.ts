/**
 * Prometheus rule files (`groups:`) and promtool unit-test files, with the files' own keys, so an
 * object of these types serialises to YAML as is.
 */
import type { ServiceDefinition } from '../../../services/catalog.js';

/** Only these, so inhibition (critical over warning over info) works; the kind goes in `category`. */
export type Severity = 'critical' | 'warning' | 'info';

/** The seed's notification categories. */
export type Category =
  | 'system_down'
  | 'data_loss'
  | 'security_breach'
  | 'high_resource_usage'
  | 'performance_degradation'
  | 'improvement_failures'
  | 'deployment_completed'
  | 'scheduled_maintenance'
  | 'system_updates';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertLabels {
  readonly severity: Severity;
  readonly category: Category;
  readonly service?: string;
  readonly [label: string]: string | undefined;
}

export interface AlertAnnotations {
  readonly summary: string;
  readonly description: string;
  readonly runbook_url: string;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: AlertLabels;
  readonly annotations: AlertAnnotations;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** Services by name, as `services/catalog.ts` exports them; the generators take a copy in tests. */
export type Catalog = Readonly<Record<string, ServiceDefinition>>;

export const isAlertingRule = (rule: Rule): rule is AlertingRule => 'alert' in rule;

export const isRecordingRule = (rule: Rule): rule is RecordingRule => 'record' in rule;

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface ExpectedAlert {
  readonly exp_labels: Readonly<Record<string, string>>;
  readonly exp_annotations: Readonly<Record<string, string>>;
}

export interface AlertRuleTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly ExpectedAlert[];
}

export interface PromtoolTestGroup {
  /** promtool prints it when the group fails. */
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test: readonly AlertRuleTest[];
}

export interface PromtoolTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  readonly tests: readonly PromtoolTestGroup[];
}
