import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { Database } from '../../../platform/db.js';
import type { AgentAccounts } from '../../epochs/operations/agent-accounts.js';
import type { BenchmarkSets } from '../benchmark-sets.js';
import type { LineageRecorder } from '../lineage/lineage-recorder.js';
import type { BenchmarkRunner } from '../runners/benchmark-runner.js';

/** What measured improvement works with. */
export interface ImprovementContext {
  readonly sql: Database;
  /** The benchmark set of each skill variants can be judged in. */
  readonly benchmarks: BenchmarkSets;
  /** The agent orchestrator's agents: only agents it knows can have variants. */
  readonly agents: AgentAccounts;
  /** Runs benchmark tasks on agents (the A2A one in the service; a deterministic one in tests). */
  readonly runner: BenchmarkRunner;
  /** Records lineage in the knowledge graph; absent: every lineage stays pending. */
  readonly lineage?: LineageRecorder;
  /** `agent_improvements_total{outcome}`, when the service exports metrics. */
  readonly improvements?: Counter<'outcome'>;
  readonly logger?: Logger;
}
