import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { catalog, STACKS } from '../../../services/catalog.js';
import { alertRules } from './alert-rules.js';
import { isAlertingRule } from './types.js';

const docs = new URL('../../../docs/alerting.md', import.meta.url);

describe.each(STACKS)('ImprovementEvaluationsFailing on %s', (stack) => {
  const alerts = catalog['performance-tracker'].alerts[stack];

  it('is generated for performance-tracker, and only for it, from its catalog figures', () => {
    const rules = alertRules(stack)
      .flatMap((group) => group.rules.filter(isAlertingRule))
      .filter((rule) => rule.alert === 'ImprovementEvaluationsFailing');
    expect(rules.map((rule) => rule.labels.service)).toEqual(['performance-tracker']);
    const percent = alerts.improvementFailurePercent as number;
    expect(rules[0]?.expr).toContain(`> ${percent / 100} and `);
    expect(rules[0]?.expr).toMatch(new RegExp(` >= ${alerts.improvementMinEvaluations}$`));
  });

  it('has the figures docs/alerting.md quotes', async () => {
    const text = await readFile(docs, 'utf8');
    expect(text).toContain(`\`improvementFailurePercent: ${alerts.improvementFailurePercent}\``);
    expect(text).toContain(`\`improvementMinEvaluations: ${alerts.improvementMinEvaluations}\``);
  });
});
