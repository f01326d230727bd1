import type { BenchmarkTask } from '../domain/benchmark-set.js';
import type { AgentUnderTest } from '../domain/variant.js';

/**
 * What an agent did with a benchmark task: its answer (graded afterwards), or `refused` when it
 * failed, rejected or could not complete the task (an unsuccessful task, not an error of the
 * evaluation). `costAia` is what the run cost, an exact decimal string.
 */
export type BenchmarkRun =
  | { readonly answer: string; readonly costAia: string }
  | { readonly refused: string; readonly costAia: string };

/** One task to run: `runKey` is the same every time this side of this evaluation runs it. */
export interface BenchmarkRunRequest {
  readonly agent: AgentUnderTest;
  readonly task: BenchmarkTask;
  /** Stable per evaluation, side and task: a retried attempt names the same run. */
  readonly runKey: string;
  readonly signal: AbortSignal;
}

/**
 * Runs benchmark tasks on agents. The tracker's is the A2A one (`a2aBenchmarkRunner`: a message
 * to the agent's A2A endpoint at the orchestrator); tests inject a deterministic one. Throws
 * when the run could not be made at all (the orchestrator unreachable, the agent unknown): the
 * evaluation is tried again later, and fails after its last attempt.
 */
export interface BenchmarkRunner {
  run(request: BenchmarkRunRequest): Promise<BenchmarkRun>;
}

/** A runner error that no retry will cure (the variant cannot be run this way): fails at once. */
export class UnrunnableError extends Error {
  override readonly name = 'UnrunnableError';
}
