import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { alertmanagerConfig, renderAlertmanagerYaml } from './index.js';
import { CATEGORY_SEVERITY, SAMPLE_ARGS } from './sample-args.js';

// The real amtool (Alertmanager 0.25), as tools/setup.sh installs it in CI.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'alertmanager-'));
const configFile = join(dir, 'alertmanager.yaml');
writeFileSync(configFile, renderAlertmanagerYaml(SAMPLE_ARGS));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The receivers `amtool config routes test` resolves for an alert with these labels. */
async function receiversFor(labels: Record<string, string>): Promise<string> {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}=${value}`);
  const { stdout } = await run('amtool', [
    'config',
    'routes',
    'test',
    `--config.file=${configFile}`,
    ...pairs,
  ]);
  return stdout.trim();
}

describe('alertmanager.yaml under amtool', () => {
  it('passes amtool check-config', async () => {
    const { stdout } = await run('amtool', ['check-config', configFile]);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toContain('5 receivers');
  });

  it.each([
    ['critical', 'pagerduty-and-slack'],
    ['warning', 'slack'],
    ['info', 'email'],
  ])('routes severity %s to %s', async (severity, receiver) => {
    await run('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${configFile}`,
      `--verify.receivers=${receiver}`,
      `severity=${severity}`,
      'alertname=Example',
      'namespace=aia',
    ]);
    expect(await receiversFor({ severity, alertname: 'Example' })).toBe(receiver);
  });

  const receiverOf = { critical: 'pagerduty-and-slack', warning: 'slack', info: 'email' } as const;
  it.each(Object.entries(CATEGORY_SEVERITY))(
    'routes category %s (%s)',
    async (category, severity) => {
      const receiver = receiverOf[severity];
      await run('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${configFile}`,
        `--verify.receivers=${receiver}`,
        `severity=${severity}`,
        `category=${category}`,
        'namespace=aia',
        'service=api-gateway',
      ]);
    },
  );

  it('routes the Watchdog to the dead-mans switch only, whatever its severity', async () => {
    for (const severity of ['none', 'info', 'critical']) {
      expect(await receiversFor({ alertname: 'Watchdog', watchdog: 'true', severity })).toBe(
        'dead-mans-switch',
      );
    }
  });

  it('pages the ledger area for critical alerts of its services, Slack for their warnings', async () => {
    const service = 'economic-governor';
    expect(await receiversFor({ severity: 'critical', service })).toBe(
      'pagerduty-ledger-and-slack',
    );
    expect(await receiversFor({ severity: 'warning', service })).toBe('slack');
  });

  it('sends an alert without a severity to Slack rather than nowhere', async () => {
    expect(await receiversFor({ alertname: 'Unlabelled' })).toBe('slack');
  });

  it('fails amtool verification when the receiver is wrong', async () => {
    await expect(
      run('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${configFile}`,
        '--verify.receivers=email',
        'severity=critical',
      ]),
    ).rejects.toThrow();
  });
});

describe('alertmanager.yaml of a stack without PagerDuty under amtool', () => {
  const { pagerdutyAreas: _, ...withoutAreas } = SAMPLE_ARGS;
  const slackOnlyFile = join(dir, 'slack-only.yaml');
  writeFileSync(slackOnlyFile, renderAlertmanagerYaml({ ...withoutAreas, pagerduty: false }));

  const routesTest = (receiver: string, labels: string[]) =>
    run('amtool', [
      ...['config', 'routes', 'test', `--config.file=${slackOnlyFile}`],
      `--verify.receivers=${receiver}`,
      ...labels,
    ]);

  it('passes amtool check-config', async () => {
    const { stdout } = await run('amtool', ['check-config', slackOnlyFile]);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toContain('4 receivers');
  });

  it.each(Object.entries(CATEGORY_SEVERITY))(
    'routes category %s (%s) without paging',
    async (category, severity) => {
      const receiver = { critical: 'slack-critical', warning: 'slack', info: 'email' }[severity];
      await routesTest(receiver, [
        ...[`severity=${severity}`, `category=${category}`, 'namespace=aia'],
        'service=economic-governor',
      ]);
    },
  );

  it('still sends the Watchdog to the dead-mans switch only', async () => {
    await routesTest('dead-mans-switch', ['alertname=Watchdog', 'watchdog=true', 'severity=none']);
  });
});

describe('notification templates under amtool', () => {
  const emptyTemplates = join(dir, 'none.tmpl');
  writeFileSync(emptyTemplates, '{{ define "unused" }}{{ end }}');

  /** amtool's rendering of `text` for one firing alert with `labels`. */
  async function render(text: string, labels: Record<string, string>): Promise<string> {
    const alert = {
      status: 'firing',
      labels,
      annotations: { summary: 'Errors above 5 %', description: 'd', runbook_url: 'https://r/x' },
      startsAt: '2025-01-05T02:30:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: '1',
    };
    const data = join(dir, 'data.json');
    writeFileSync(
      data,
      JSON.stringify({
        receiver: 'pagerduty-and-slack',
        status: 'firing',
        alerts: [alert],
        groupLabels: { alertname: labels.alertname },
        commonLabels: labels,
        commonAnnotations: alert.annotations,
        externalURL: 'http://alertmanager',
      }),
    );
    const { stdout } = await run('amtool', [
      'template',
      'render',
      `--template.glob=${emptyTemplates}`,
      `--template.data=${data}`,
      `--template.text=${text}`,
    ]);
    return stdout.trim();
  }

  const labels = {
    alertname: 'ApiErrorRateHigh',
    severity: 'critical',
    category: 'system_down',
    namespace: 'aia',
    service: 'api-gateway',
  };
  const config = alertmanagerConfig(SAMPLE_ARGS);
  const pagerduty = config.receivers.find((r) => r.name === 'pagerduty-and-slack')
    ?.pagerduty_configs?.[0];

  it('renders every template the receivers use', async () => {
    const templates = new Set(
      JSON.stringify(config.receivers)
        .match(/"(?:[^"\\]|\\.)*\{\{(?:[^"\\]|\\.)*"/g)
        ?.map((quoted) => JSON.parse(quoted) as string),
    );
    expect(templates.size).toBeGreaterThan(8);
    for (const text of templates) await render(text, labels);
    expect(await render(pagerduty?.description ?? '', labels)).toBe(
      '[production] ApiErrorRateHigh: Errors above 5 %',
    );
  });

  it('maps alert severities to Events API v2 severities, unknown ones to error', async () => {
    const template = pagerduty?.severity ?? '';
    for (const severity of ['critical', 'warning', 'info']) {
      expect(await render(template, { ...labels, severity })).toBe(severity);
    }
    expect(await render(template, { ...labels, severity: 'page' })).toBe('error');
  });
});
