import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog, type ServiceDefinition, STACKS } from '../../../services/catalog.js';
import { createServiceMetrics } from '../../../services/platform/metrics.js';
import type { AppEnv } from '../../../services/platform/types.js';
import { alertRules } from './alert-rules.js';
import { EXPORTER_METRICS } from './exporter-metrics.js';
import { groupMetricNames, unknownMetrics } from './metric-names.js';
import { isRecordingRule, type RuleGroup } from './types.js';

const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** Every series name a service's /metrics serves once it has answered one request. */
async function scrape(definition: ServiceDefinition): Promise<Set<string>> {
  const metrics = createServiceMetrics({ service: definition.name, declared: definition.metrics });
  const app = new Hono<AppEnv>();
  app.use(metrics.middleware);
  app.get('/metrics', metrics.handler);
  app.get('/', (c) => c.text('ok'));
  await app.request('/');
  const text = await (await app.request('/metrics')).text();
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    for (const suffix of SUFFIXES[type as string] ?? ['']) names.add(`${name}${suffix}`);
  }
  for (const [, name] of text.matchAll(/^([A-Za-z_:][\w:]*)[{ ]/gm)) names.add(name as string);
  return names;
}

const exported = new Map<string, Set<string>>();

beforeAll(async () => {
  for (const definition of Object.values(catalog)) {
    exported.set(definition.name, await scrape(definition));
  }
});

const recorded = (groups: readonly RuleGroup[]) =>
  groups.flatMap((group) => group.rules.filter(isRecordingRule).map((rule) => rule.record));

/** A service's groups may read what that service exports; every group, recordings and exporters. */
function knownMetrics(groups: readonly RuleGroup[]) {
  const shared = [...recorded(groups), ...Object.keys(EXPORTER_METRICS)];
  return (group: RuleGroup) => {
    const service = Object.keys(catalog).find((name) => group.name.startsWith(`${name}-`));
    return new Set([...shared, ...(service ? (exported.get(service) ?? []) : [])]);
  };
}

describe('the services export', () => {
  it('the HTTP, process and Node.js metrics and their declared domain counters', () => {
    for (const names of exported.values()) {
      for (const name of ['http_request_duration_seconds_bucket', 'http_requests_total']) {
        expect(names).toContain(name);
      }
      expect(names).toContain('process_cpu_seconds_total');
      expect([...names].some((name) => name.startsWith('nodejs_'))).toBe(true);
    }
    expect(exported.get('economic-governor')).toContain('token_transactions_total');
    expect(exported.get('agent-orchestrator')).toContain('agent_runs_total');
  });
});

describe.each(STACKS)('every metric the %s rules read', (stack) => {
  const groups = alertRules(stack);

  it('is recorded by a rule, exported by the service, or listed in EXPORTER_METRICS', () => {
    expect(unknownMetrics(groups, knownMetrics(groups))).toEqual([]);
  });

  it('fails for a metric nothing exports', () => {
    const invented: RuleGroup = {
      name: 'aia-api-invented',
      rules: [{ record: 'x:y:z', expr: 'sum(rate(made_up_requests_total[5m]))' }],
    };
    expect(unknownMetrics([...groups, invented], knownMetrics(groups))).toEqual([
      'aia-api-invented: made_up_requests_total',
    ]);
  });

  it("fails for another service's domain metric", () => {
    const borrowed: RuleGroup = {
      name: 'aia-api-borrowed',
      rules: [{ record: 'x:y:z', expr: 'sum(rate(token_transactions_total[5m]))' }],
    };
    expect(unknownMetrics([borrowed], knownMetrics(groups))).toEqual([
      'aia-api-borrowed: token_transactions_total',
    ]);
  });

  it('lists no exporter metric that no rule reads', () => {
    const read = new Set(groups.flatMap(groupMetricNames));
    expect(Object.keys(EXPORTER_METRICS).filter((name) => !read.has(name))).toEqual([]);
  });
});

describe('EXPORTER_METRICS', () => {
  it('names a source for each, and what is missing where the platform does not deploy it yet', () => {
    for (const [name, metric] of Object.entries(EXPORTER_METRICS)) {
      expect(metric.source.length, name).toBeGreaterThan(10);
      // kube-prometheus-stack and the Kafka Exporter (a PodMonitor) are deployed.
      const deployed = /^(kube_|container_|up$|kafka_)/.test(name);
      expect(deployed || metric.requires !== undefined, name).toBe(true);
    }
  });
});
