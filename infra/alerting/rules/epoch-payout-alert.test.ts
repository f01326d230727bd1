import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog, STACKS } from '../../../services/catalog.js';
import { runbookUrl } from './alert.js';
import { alertRules } from './alert-rules.js';
import { RULES_FILE, renderRuleFiles, TESTS_FILE } from './render.js';
import { type Catalog, isAlertingRule, type RuleGroup } from './types.js';

const ALERT = 'EpochPayoutRefused';
const TRACKER = 'performance-tracker';
const METRIC = 'performance_epoch_payouts_total';
const run = promisify(execFile);
const directories: string[] = [];

afterAll(async () => {
  await Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The tracker alone (a promtool run in seconds); `outcomes` in place of its counter's, if given. */
function trackerWith(outcomes?: readonly string[]): Catalog {
  const definition = catalog[TRACKER];
  const metrics = definition.metrics.map((metric) =>
    metric.name === METRIC && outcomes ? { ...metric, labels: { outcome: outcomes } } : metric,
  );
  return { [TRACKER]: { ...definition, metrics } };
}

const alertsNamed = (groups: readonly RuleGroup[]) =>
  groups
    .flatMap((group) => group.rules)
    .filter(isAlertingRule)
    .filter((rule) => rule.alert === ALERT);

async function written(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aia-epoch-rules-'));
  directories.push(dir);
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
  return dir;
}

const promtool = (dir: string, ...args: string[]) =>
  run('promtool', args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });

describe.each(STACKS)(`${ALERT} on %s`, (stack) => {
  it('is generated for performance-tracker, and only for it, from the counter it declares', () => {
    const rules = alertsNamed(alertRules(stack));
    expect(rules.map((rule) => rule.labels.service)).toEqual([TRACKER]);
    const [rule] = rules;
    expect(rule?.expr).toBe(
      `sum by (namespace) (increase(${METRIC}{namespace="aia", service=~"performance-tracker|performance-tracker-blue|performance-tracker-green", outcome="refused"}[1h])) > 0`,
    );
    expect(rule?.for).toBe('0m');
    expect(rule?.labels).toEqual({
      severity: 'warning',
      category: 'performance_degradation',
      service: TRACKER,
    });
    expect(rule?.annotations.runbook_url).toBe(runbookUrl(ALERT));
    expect(rule?.annotations.description).toContain('{{ $labels.namespace }}');
  });
});

describe(`${ALERT} from the catalog`, () => {
  it('is not generated for a service whose counter has no refused outcome', () => {
    expect(
      alertsNamed(alertRules('production', { catalog: trackerWith(['paid', 'retried']) })),
    ).toHaveLength(0);
  });

  it('sits in the service’s thresholds group, after the threshold alerts', () => {
    const groups = alertRules('production', { catalog: trackerWith() });
    const thresholds = groups.find((group) => group.name === `${TRACKER}-thresholds`);
    const names = thresholds?.rules.filter(isAlertingRule).map((rule) => rule.alert);
    expect(names?.at(-1)).toBe(ALERT);
  });
});

describe(`${ALERT} under promtool`, () => {
  it('passes check rules and its fixtures: one refusal fires, other outcomes never, an old refusal no more', {
    timeout: 120_000,
  }, async () => {
    const files = renderRuleFiles('production', { catalog: trackerWith() });
    for (const group of [
      `${TRACKER} ${ALERT}: outcome="refused" once in the window`,
      `${TRACKER} ${ALERT}: outcome="refused" never`,
      `${TRACKER} ${ALERT}: outcome="refused" once, over 1h ago`,
    ]) {
      expect(files[TESTS_FILE]).toContain(group);
    }
    const dir = await written(files);
    const checked = await promtool(dir, 'check', 'rules', RULES_FILE);
    expect(checked.stdout).toMatch(/SUCCESS: \d+ rules found/);
    const tested = await promtool(dir, 'test', 'rules', TESTS_FILE);
    expect(tested.stdout).toContain('SUCCESS');
  });

  it('fail against rules without the alert', { timeout: 120_000 }, async () => {
    const fixtures = renderRuleFiles('production', { catalog: trackerWith() });
    const rules = renderRuleFiles('production', { catalog: trackerWith(['paid', 'retried']) });
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
