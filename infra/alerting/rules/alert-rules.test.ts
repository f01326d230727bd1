import { describe, expect, it } from 'vitest';
import { catalog, STACKS, type StackName } from '../../../services/catalog.js';
import { kebabCase } from './alert.js';
import { alertRules } from './alert-rules.js';
import { promtoolTests } from './promtool-tests.js';
import { RUNBOOK_BASE_URL } from './settings.js';
import { type AlertingRule, type Catalog, isAlertingRule, type RuleGroup } from './types.js';

const CATEGORIES = [
  'system_down',
  'data_loss',
  'security_breach',
  'high_resource_usage',
  'performance_degradation',
  'improvement_failures',
  'deployment_completed',
  'scheduled_maintenance',
  'system_updates',
];

const alertsOf = (groups: readonly RuleGroup[]) =>
  groups.flatMap((group) => group.rules.filter(isAlertingRule));

const find = (groups: readonly RuleGroup[], alert: string, service?: string) =>
  alertsOf(groups).filter(
    (rule) => rule.alert === alert && (!service || rule.labels.service === service),
  );

/** A copy of the catalog with one production figure of one service changed. */
function withProductionAlert(
  service: keyof typeof catalog,
  change: Partial<(typeof catalog)[typeof service]['alerts']['production']>,
): Catalog {
  const definition = catalog[service];
  return {
    ...catalog,
    [service]: {
      ...definition,
      alerts: { ...definition.alerts, production: { ...definition.alerts.production, ...change } },
    },
  };
}

describe.each(STACKS)('alert rules of %s', (stack: StackName) => {
  const groups = alertRules(stack);
  const alerts = alertsOf(groups);

  it('names every alert in PascalCase and links its runbook by that name', () => {
    for (const rule of alerts) {
      expect(rule.alert).toMatch(/^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$/);
      expect(rule.annotations.runbook_url).toBe(`${RUNBOOK_BASE_URL}/${kebabCase(rule.alert)}.md`);
    }
  });

  it('gives every alert a severity, a category, a one-sentence summary and a description', () => {
    for (const rule of alerts) {
      expect(['critical', 'warning', 'info'], rule.alert).toContain(rule.labels.severity);
      expect(CATEGORIES, rule.alert).toContain(rule.labels.category);
      expect(rule.annotations.summary, rule.alert).toMatch(/^[^\n]+[.]$/);
      expect(rule.annotations.summary.split(/[.!?]\s+[A-Z]/), rule.alert).toHaveLength(1);
      expect(rule.annotations.description.length, rule.alert).toBeGreaterThan(40);
      for (const [
        ,
        template,
      ] of `${rule.annotations.summary} ${rule.annotations.description}`.matchAll(
        /\{\{([^}]*)\}\}/g,
      )) {
        expect(template, rule.alert).toMatch(/^ \$labels\.\w+ $/);
      }
    }
  });

  it('labels each service alert with its service, and the others with no service', () => {
    for (const group of groups) {
      const service = Object.keys(catalog).find((name) => group.name.startsWith(`${name}-`));
      for (const rule of group.rules.filter(isAlertingRule)) {
        expect(rule.labels.service, `${group.name} ${rule.alert}`).toBe(service);
      }
    }
  });

  it('templates labels into descriptions where an alert is about a namespace or pod', () => {
    const templated = alerts.filter((rule) => rule.annotations.description.includes('$labels.'));
    expect(templated.length).toBeGreaterThan(alerts.length * 0.9);
  });

  it('keeps group names unique and puts recording rules before the alerts that read them', () => {
    const names = groups.map((group) => group.name);
    expect(new Set(names).size).toBe(names.length);
    for (const service of Object.keys(catalog)) {
      expect(names.filter((name) => name.startsWith(`${service}-`))).toEqual([
        `${service}-recording`,
        `${service}-slo`,
        `${service}-thresholds`,
        `${service}-workload`,
      ]);
    }
  });

  it('reads every threshold from the catalog', () => {
    for (const [name, definition] of Object.entries(catalog)) {
      const figures = definition.alerts[stack];
      const expr = (alert: string) => (find(groups, alert, name)[0] as AlertingRule).expr;
      expect(expr('HttpErrorRateHigh')).toMatch(
        new RegExp(` > ${figures.errorRatePercent / 100}$`),
      );
      expect(expr('HttpLatencyP95High')).toMatch(new RegExp(` > ${figures.latencyP95Seconds}$`));
      expect(expr('ContainerMemoryHigh')).toMatch(new RegExp(` > ${figures.memoryPercent / 100}$`));
      expect(expr('ContainerCpuHigh')).toMatch(new RegExp(` > ${figures.cpuPercent / 100}$`));
      expect(expr('RollbackErrorRateExceeded')).toMatch(
        new RegExp(` > ${definition.rollback.errorRatePercent / 100}$`),
      );
      expect(expr('RollbackLatencyExceeded')).toMatch(
        new RegExp(` > ${definition.rollback.latencyP95Seconds}$`),
      );
    }
  });

  it('alerts on token transaction failures on the governor and agent failures on the orchestrator', () => {
    expect(find(groups, 'TokenTransactionFailuresHigh').map((r) => r.labels.service)).toEqual([
      'economic-governor',
    ]);
    expect(find(groups, 'AgentFailureRateHigh').map((r) => r.labels.service)).toEqual([
      'agent-orchestrator',
    ]);
  });

  it('marks the rollback triggers critical with rollback="true"', () => {
    const triggers = alerts.filter((rule) => rule.labels.rollback === 'true');
    expect(new Set(triggers.map((rule) => rule.alert))).toEqual(
      new Set(['RollbackErrorRateExceeded', 'RollbackLatencyExceeded']),
    );
    expect(triggers.every((rule) => rule.labels.severity === 'critical')).toBe(true);
  });

  it('pages on fast burns and tickets slow ones, against 1 - slo.availability', () => {
    const burns = find(groups, 'ErrorBudgetBurn', 'aia-api');
    expect(
      burns.map((rule) => [
        rule.labels.long_window,
        rule.labels.short_window,
        rule.labels.severity,
        rule.for,
      ]),
    ).toEqual([
      ['1h', '5m', 'critical', '2m'],
      ['6h', '30m', 'critical', '15m'],
      ['1d', '2h', 'warning', '1h'],
      ['3d', '6h', 'warning', '3h'],
    ]);
    expect(burns[0]?.labels.category).toBe('system_down');
    expect(burns[0]?.expr).toContain(
      'service:http_requests_errors:ratio_rate1h{service="aia-api"} > (14.4 * 0.001)',
    );
    expect(burns[0]?.expr).toContain(
      'service:http_requests_errors:ratio_rate5m{service="aia-api"} > (14.4 * 0.001)',
    );
  });

  it('has an always-firing Watchdog at info severity', () => {
    expect(find(groups, 'Watchdog')).toEqual([
      expect.objectContaining({
        expr: 'vector(1)',
        labels: { severity: 'info', category: 'system_updates', watchdog: 'true' },
      }),
    ]);
  });
});

describe('a changed catalog', () => {
  it('changes the rule and its promtool fixture together', () => {
    const changed = withProductionAlert('economic-governor', {
      tokenTransactionFailurePercent: 2.5,
    });
    const rule = find(
      alertRules('production', { catalog: changed }),
      'TokenTransactionFailuresHigh',
    )[0];
    expect(rule?.expr).toMatch(/ > 0\.025$/);
    expect(rule?.annotations.description).toContain(
      'alerts.production.tokenTransactionFailurePercent = 2.5',
    );
    const fixture = promtoolTests('production', { catalog: changed }).tests.find((test) =>
      test.name.startsWith('economic-governor just above HttpErrorRateHigh'),
    );
    // 2.5 % x 1.02 of 100,000 transactions a minute.
    expect(fixture?.input_series).toContainEqual(
      expect.objectContaining({
        series: expect.stringContaining('result="failed"'),
        values: '0+2550x25',
      }),
    );
    expect(
      find(alertRules('staging', { catalog: changed }), 'TokenTransactionFailuresHigh')[0]?.expr,
    ).toMatch(/ > 0\.01$/);
  });

  it('moves the burn-rate thresholds with the availability objective', () => {
    const changed: Catalog = {
      ...catalog,
      'aia-api': { ...catalog['aia-api'], slo: { availability: 0.995, latencyP95Seconds: 0.5 } },
    };
    const [fast] = find(
      alertRules('production', { catalog: changed }),
      'ErrorBudgetBurn',
      'aia-api',
    );
    expect(fast?.expr).toContain('> (14.4 * 0.005)');
  });

  it('refuses figures no alert could fire on, saying which', () => {
    expect(() =>
      alertRules('production', { catalog: withProductionAlert('aia-api', { memoryPercent: 100 }) }),
    ).toThrow(
      'aia-api: alerts.production.memoryPercent is 100; it must be a percentage between 0 and 100',
    );
    expect(() =>
      alertRules('production', {
        catalog: withProductionAlert('aia-api', { agentFailurePercent: 5 }),
      }),
    ).toThrow(
      /aia-api: alerts.production.agentFailurePercent is set but the catalog does not declare agent_runs_total/,
    );
  });

  it('uses the namespaces it is given', () => {
    const groups = alertRules('staging', { namespaces: { services: 'aia-next' } });
    const expr = find(groups, 'PodRestarting', 'dkg-manager')[0]?.expr;
    expect(expr).toContain('namespace="aia-next", container="dkg-manager"');
  });
});
