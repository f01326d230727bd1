import { RUNBOOK_BASE_URL } from './settings.js';
import type { AlertingRule, Category, Severity } from './types.js';

/** `HttpLatencyP95High` → `http-latency-p95-high`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** The runbook page of an alert: `<RUNBOOK_BASE_URL>/<kebab>.md`. */
export const runbookUrl = (alertName: string) => `${RUNBOOK_BASE_URL}/${kebabCase(alertName)}.md`;

export interface AlertSpec {
  /** PascalCase; the runbook page is named after it. */
  readonly name: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: Severity;
  readonly category: Category;
  /** The catalog service the alert is about, if any. */
  readonly service?: string;
  /** More labels (window, rollback marker, ...). */
  readonly labels?: Readonly<Record<string, string>>;
  /** One sentence. */
  readonly summary: string;
  /** May template labels: `{{ $labels.pod }}`. */
  readonly description: string;
}

/** An alerting rule with the labels and annotations every alert of this repository carries. */
export function alertRule(spec: AlertSpec): AlertingRule {
  return {
    alert: spec.name,
    expr: spec.expr,
    for: spec.for,
    labels: {
      severity: spec.severity,
      category: spec.category,
      ...(spec.service ? { service: spec.service } : {}),
      ...spec.labels,
    },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: runbookUrl(spec.name),
    },
  };
}
