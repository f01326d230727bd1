import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type AlertThresholds, catalog } from '../../../services/catalog.js';
import { alertRules } from './alert-rules.js';
import { RULES_FILE, renderRuleFiles, TESTS_FILE } from './render.js';
import { RECORDS } from './signals.js';
import { type Catalog, isAlertingRule, isRecordingRule, type RuleGroup } from './types.js';

const ALERT = 'ImprovementEvaluationsFailing';
const TRACKER = 'performance-tracker';
const run = promisify(execFile);
const directories: string[] = [];

afterAll(async () => {
  await Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true })));
});

type ImprovementFigures = Pick<
  AlertThresholds,
  'improvementFailurePercent' | 'improvementMinEvaluations'
>;

/** The tracker alone (a promtool run in seconds), its production figures replaced by `figures`. */
function trackerWith(figures: ImprovementFigures, service: string = TRACKER): Catalog {
  const definition = catalog[service as keyof typeof catalog];
  const {
    improvementFailurePercent: _percent,
    improvementMinEvaluations: _minimum,
    ...others
  } = definition.alerts.production;
  return {
    [service]: {
      ...definition,
      alerts: { ...definition.alerts, production: { ...others, ...figures } },
    },
  };
}

const SET = { improvementFailurePercent: 20, improvementMinEvaluations: 5 };

const rulesOf = (groups: readonly RuleGroup[]) => groups.flatMap((group) => group.rules);
const alertsNamed = (groups: readonly RuleGroup[]) =>
  rulesOf(groups)
    .filter(isAlertingRule)
    .filter((rule) => rule.alert === ALERT);

async function written(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aia-improvement-rules-'));
  directories.push(dir);
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
  return dir;
}

const promtool = (dir: string, ...args: string[]) =>
  run('promtool', args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });

describe(`${ALERT} from the catalog`, () => {
  it('compares the failed share with the threshold and counts the evaluations of the window', () => {
    const [rule, ...others] = alertsNamed(alertRules('production', { catalog: trackerWith(SET) }));
    expect(others).toHaveLength(0);
    expect(rule?.expr).toBe(
      `${RECORDS.improvementFailureRatio}{service="${TRACKER}"} > 0.2 and ${RECORDS.improvementEvaluations}{service="${TRACKER}"} >= 5`,
    );
    expect(rule?.labels).toMatchObject({
      severity: 'warning',
      category: 'improvement_failures',
      service: TRACKER,
    });
    expect(rule?.annotations.description).toContain(
      'alerts.production.improvementFailurePercent = 20',
    );
    expect(rule?.annotations.description).toContain('at least 5 in the window');
  });

  it('moves with the catalog figures', () => {
    const [rule] = alertsNamed(
      alertRules('production', {
        catalog: trackerWith({ improvementFailurePercent: 35, improvementMinEvaluations: 12 }),
      }),
    );
    expect(rule?.expr).toMatch(/ > 0\.35 and .* >= 12$/);
  });

  it('records share and count over the replicas of the service, failed among every outcome', () => {
    const records = rulesOf(alertRules('production', { catalog: trackerWith(SET) })).filter(
      isRecordingRule,
    );
    const share = records.find((rule) => rule.record === RECORDS.improvementFailureRatio);
    const count = records.find((rule) => rule.record === RECORDS.improvementEvaluations);
    expect(share?.expr).toContain('outcome="failed"');
    expect(share?.expr).not.toContain('rejected');
    // A counter that never moved reads 0 failed, not "no data".
    expect(share?.expr).toMatch(/^\(sum by \(namespace\) .* or 0 \* sum by \(namespace\)/);
    expect(count?.expr).toMatch(
      /^sum by \(namespace\) \(increase\(agent_improvements_total\{namespace="aia", service=~"performance-tracker\|[^}]*\}\[6h\]\)\)$/,
    );
    expect(count?.labels).toEqual({ service: TRACKER });
  });

  it('is not generated for a stack whose catalog sets no threshold', () => {
    const groups = alertRules('production', { catalog: trackerWith({}) });
    expect(alertsNamed(groups)).toHaveLength(0);
  });

  it('refuses a threshold without its minimum, and a minimum that is not a whole number from 1', () => {
    expect(() =>
      alertRules('production', { catalog: trackerWith({ improvementFailurePercent: 20 }) }),
    ).toThrow(
      `${TRACKER}: alerts.production.improvementFailurePercent is set without alerts.production.improvementMinEvaluations`,
    );
    for (const minimum of [0, 2.5]) {
      expect(() =>
        alertRules('production', {
          catalog: trackerWith({ ...SET, improvementMinEvaluations: minimum }),
        }),
      ).toThrow(
        `${TRACKER}: alerts.production.improvementMinEvaluations is ${minimum}; it must be a whole number from 1`,
      );
    }
    expect(() =>
      alertRules('production', {
        catalog: trackerWith({ ...SET, improvementFailurePercent: 100 }),
      }),
    ).toThrow('it must be a percentage between 0 and 100');
  });

  it('refuses the threshold on a service that does not export agent_improvements_total', () => {
    expect(() => alertRules('production', { catalog: trackerWith(SET, 'aia-api') })).toThrow(
      /aia-api: alerts.production.improvementFailurePercent is set but the catalog does not declare agent_improvements_total/,
    );
  });
});

describe(`${ALERT} under promtool`, () => {
  it('passes check rules and its fixtures: above and below the threshold, at and under the minimum', {
    timeout: 120_000,
  }, async () => {
    const files = renderRuleFiles('production', { catalog: trackerWith(SET) });
    for (const group of [
      new RegExp(`name: ${TRACKER} just above .*${ALERT} \\(0\\.2\\)`),
      new RegExp(`name: ${TRACKER} just below .*${ALERT} \\(0\\.2\\)`),
      `${TRACKER} ${ALERT}: 5 events in the window, all failing (minimum 5)`,
      `${TRACKER} ${ALERT}: 4 events in the window, all failing (minimum 5)`,
    ]) {
      expect(files[TESTS_FILE]).toMatch(group);
    }
    const dir = await written(files);
    const checked = await promtool(dir, 'check', 'rules', RULES_FILE);
    expect(checked.stdout).toMatch(/SUCCESS: \d+ rules found/);
    const tested = await promtool(dir, 'test', 'rules', TESTS_FILE);
    expect(tested.stdout).toContain('SUCCESS');
  });

  // The fixtures would pass a rule without the guard or with another threshold only if they
  // tested nothing: run them against such rules and expect promtool to fail on this alert.
  it.each([
    ['a rule without a real minimum', { ...SET, improvementMinEvaluations: 1 }],
    ['a rule with a higher threshold', { ...SET, improvementFailurePercent: 30 }],
    ['a rule with a higher minimum', { ...SET, improvementMinEvaluations: 6 }],
  ])('fail against %s', { timeout: 120_000 }, async (_, figures) => {
    const fixtures = renderRuleFiles('production', { catalog: trackerWith(SET) });
    const rules = renderRuleFiles('production', { catalog: trackerWith(figures) });
    const dir = await written({
      [RULES_FILE]: rules[RULES_FILE],
      [TESTS_FILE]: fixtures[TESTS_FILE],
    });
    const outcome = await promtool(dir, 'test', 'rules', TESTS_FILE).then(
      () => 'passed',
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );
    expect(outcome).toMatch(new RegExp(`alertname: ${ALERT}`));
  });
});
