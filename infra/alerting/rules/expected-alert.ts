import type { AlertingRule, ExpectedAlert } from './types.js';

/** How far past a threshold "just above" and "just below" are: 2 %, relative. */
const JUST_ABOVE = 1.02;
const JUST_BELOW = 0.98;

/** Expands `{{ $labels.x }}` as Prometheus does; throws on anything else or a missing label. */
function expandTemplate(text: string, labels: Readonly<Record<string, string>>): string {
  const expanded = text.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, name: string) => {
    const value = labels[name];
    if (value === undefined) {
      throw new Error(
        `"${text}" uses $labels.${name}, which the alert's expression does not yield`,
      );
    }
    return value;
  });
  if (expanded.includes('{{')) throw new Error(`"${text}" uses a template other than $labels`);
  return expanded;
}

/** The alert promtool should see: the expression's labels, the rule's, and expanded annotations. */
export function expectedAlert(
  rule: AlertingRule,
  exprLabels: Readonly<Record<string, string>>,
): ExpectedAlert {
  const ruleLabels = Object.entries(rule.labels).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return {
    exp_labels: { ...exprLabels, ...Object.fromEntries(ruleLabels), alertname: rule.alert },
    exp_annotations: Object.fromEntries(
      Object.entries(rule.annotations).map(([key, text]) => [
        key,
        expandTemplate(text, exprLabels),
      ]),
    ),
  };
}

/** The two fixtures of every threshold: just above fires, just below stays silent. */
export const SIDES = [
  { side: 'above', factor: JUST_ABOVE, fires: true },
  { side: 'below', factor: JUST_BELOW, fires: false },
] as const;
