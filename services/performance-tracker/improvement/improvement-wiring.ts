import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { DkgManagerClient } from '../../dkg-manager/client.js';
import type { Database } from '../../platform/db.js';
import type { AppEnv } from '../../platform/types.js';
import type { PeriodicWorker } from '../../platform/workers.js';
import type { AgentAccounts } from '../epochs/operations/agent-accounts.js';
import { loadBenchmarkSets } from './benchmark-sets.js';
import { dkgLineageRecorder } from './lineage/dkg-lineage-recorder.js';
import { seedImprovementCounts } from './operations/count-improvements.js';
import type { ImprovementContext } from './operations/improvement-context.js';
import { addVariantRoutes } from './routes/variant-routes.js';
import type { BenchmarkRunner } from './runners/benchmark-runner.js';
import { variantEvaluator } from './workers/variant-evaluator.js';

export interface MeasuredImprovementOptions {
  readonly sql: Database;
  readonly registry: Registry;
  readonly runner: BenchmarkRunner;
  /** The agent orchestrator's agents (their accounts): variants only of agents it knows. */
  readonly agents: AgentAccounts;
  /** The DKG manager's client, for lineage; absent: lineages stay pending. */
  readonly dkg?: Pick<DkgManagerClient, 'versions' | 'putRelation'>;
  readonly logger?: Logger;
}

/**
 * Measured improvement as the tracker's module wires it: the benchmark sets, the variant routes
 * and the evaluation worker, sharing one context. `agent_improvements_total` comes from the
 * catalog's declaration (registered at zero by the kit); `seedCounts` starts it at the stored
 * outcomes, and belongs in the module's start, before the service listens and /metrics serves.
 */
export function measuredImprovement({
  sql,
  registry,
  runner,
  agents,
  dkg,
  logger,
}: MeasuredImprovementOptions) {
  const improvements = registry.getSingleMetric('agent_improvements_total');
  if (!(improvements instanceof Counter))
    throw new Error('agent_improvements_total is not registered: is it declared in the catalog?');
  const counter = improvements as Counter<'outcome'>;
  const context: ImprovementContext = {
    sql,
    benchmarks: loadBenchmarkSets(),
    runner,
    agents,
    ...(dkg ? { lineage: dkgLineageRecorder(dkg) } : {}),
    improvements: counter,
    ...(logger ? { logger } : {}),
  };
  return {
    context,
    addRoutes: (routes: OpenAPIHono<AppEnv>) => addVariantRoutes(routes, context),
    seedCounts: () => seedImprovementCounts(sql, counter),
    worker: (): PeriodicWorker => variantEvaluator(context),
  };
}
