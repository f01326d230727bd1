import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { serviceDefinition } from '../../catalog.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { createOpenApiApp } from '../../platform/openapi.js';
import { useTrackerDatabase } from '../testing/tracker-database.js';
import { measuredImprovement } from './improvement-wiring.js';
import { knownAgents } from './testing/known-agents.js';
import { scriptedRunner } from './testing/scripted-runner.js';

const database = useTrackerDatabase('tracker_improvement_wiring');
const runner = scriptedRunner({}).runner;

describe('measured improvement as the module wires it', () => {
  it('serves the four variant routes, runs the evaluator and counts on the catalog’s counter from zero', async () => {
    const metrics = createServiceMetrics({
      service: 'performance-tracker',
      declared: serviceDefinition('performance-tracker').metrics,
    });
    const improvement = measuredImprovement({
      sql: database.sql,
      registry: metrics.registry,
      runner,
      agents: knownAgents(),
    });
    expect(improvement.worker().name).toBe('variant-evaluator');
    const routes = createOpenApiApp();
    improvement.addRoutes(routes);
    expect(routes.routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'POST /agents/:id/variants',
        'GET /agents/:id/variants',
        'GET /variants/:id',
        'POST /variants/:id/evaluate',
      ]),
    );
    expect([...improvement.context.benchmarks.keys()].sort()).toEqual(['arithmetic', 'extraction']);
    expect(improvement.context.lineage).toBeUndefined();
    expect(improvement.context.improvements).toBe(
      metrics.registry.getSingleMetric('agent_improvements_total'),
    );
    const text = await metrics.registry.metrics();
    for (const outcome of ['promoted', 'failed'])
      expect(text).toMatch(new RegExp(`agent_improvements_total\\{outcome="${outcome}"[^}]*\\} 0`));
  });

  it('refuses to start without agent_improvements_total registered, saying where it is declared', () => {
    expect(() =>
      measuredImprovement({
        sql: database.sql,
        registry: new Registry(),
        runner,
        agents: knownAgents(),
      }),
    ).toThrow(/agent_improvements_total is not registered: is it declared in the catalog\?/);
    const registry = new Registry();
    new Counter({
      name: 'agent_improvements_total',
      help: 'h',
      labelNames: ['outcome'],
      registers: [registry],
    });
    expect(
      measuredImprovement({ sql: database.sql, registry, runner, agents: knownAgents() }).context
        .improvements,
    ).toBeDefined();
  });
});
