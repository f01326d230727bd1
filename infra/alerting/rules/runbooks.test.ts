import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { STACKS } from '../../../services/catalog.js';
import { kebabCase } from './alert.js';
import { alertRules } from './alert-rules.js';
import { RUNBOOK_DIR } from './settings.js';
import { type AlertingRule, isAlertingRule } from './types.js';

const directory = new URL(`../../../${RUNBOOK_DIR}/`, import.meta.url);
const INDEX = 'README.md';

/** Every alert of every stack, by name. */
const alerts = new Map<string, AlertingRule[]>();
for (const stack of STACKS) {
  for (const rule of alertRules(stack).flatMap((group) => group.rules.filter(isAlertingRule))) {
    alerts.set(rule.alert, [...(alerts.get(rule.alert) ?? []), rule]);
  }
}

const page = (alert: string) => readFile(new URL(`${kebabCase(alert)}.md`, directory), 'utf8');

describe('kebabCase', () => {
  it('splits words, acronyms and digits the way runbook file names read', () => {
    expect(kebabCase('HttpLatencyP95High')).toBe('http-latency-p95-high');
    expect(kebabCase('CloudSqlUnreachable')).toBe('cloud-sql-unreachable');
    expect(kebabCase('Neo4jUnavailable')).toBe('neo4j-unavailable');
    expect(kebabCase('KafkaURLTooLong')).toBe('kafka-url-too-long');
    expect(kebabCase('Watchdog')).toBe('watchdog');
  });
});

describe(`runbooks in ${RUNBOOK_DIR}`, () => {
  it('has a page for every alert, and every page belongs to an alert', async () => {
    const pages = (await readdir(directory)).filter(
      (file) => file.endsWith('.md') && file !== INDEX,
    );
    expect(pages.sort()).toEqual([...alerts.keys()].map((name) => `${kebabCase(name)}.md`).sort());
  });

  it.each([...alerts.keys()])('%s: meaning, impact, diagnosis and mitigation', async (alert) => {
    const text = await page(alert);
    expect(text.startsWith(`# ${alert}\n`)).toBe(true);
    for (const section of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation']) {
      expect(text).toMatch(new RegExp(`^## ${section}\\n\\n\\S`, 'm'));
    }
  });

  it.each([...alerts.keys()])(
    '%s: states the severity and category it is generated with',
    async (alert) => {
      const text = await page(alert);
      const header = text.split('\n## ')[0] ?? '';
      for (const rule of alerts.get(alert) ?? []) {
        expect(header).toContain(rule.labels.severity);
        expect(header).toContain(rule.labels.category);
      }
    },
  );

  it('lists every page in its index', async () => {
    const index = await readFile(new URL(INDEX, directory), 'utf8');
    for (const alert of alerts.keys()) {
      expect(index).toContain(`[${alert}](${kebabCase(alert)}.md)`);
    }
  });
});
