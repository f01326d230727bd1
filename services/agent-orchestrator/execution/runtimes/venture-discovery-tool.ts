import { setTimeout as sleep } from 'node:timers/promises';
import type { DiscoveryRun } from '../../../venture-discovery/client.js';
import { dataArtifact } from '../task-states.js';
import { RunRefused, type RuntimeAnswer, type RuntimeDeps, type RuntimeRun } from './runtime.js';

/** How many opportunities the tool answers: the run's best by score. */
const TOP_OPPORTUNITIES = 5;
/** How often the run's progress is read while it is queued or running. */
const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** How the tool follows its run; tests poll faster. */
export interface VentureDiscoveryToolOptions {
  /** Between two reads of the run's progress. Default 1 s. */
  readonly pollIntervalMs?: number;
}

/**
 * The `Idempotency-Key` of a task's discovery run: one per task, so an attempt retried after an
 * error (the service unreachable for a moment, the attempt's lease lost) follows the run the
 * first attempt started instead of starting another.
 */
export const discoveryRunKey = (taskId: string): string => `agent-orchestrator:task:${taskId}`;

/**
 * The `venture-discovery` tool: starts a discovery run over the configured sources (one per task:
 * see {@link discoveryRunKey}), reads its progress every `pollIntervalMs` until it succeeds or
 * fails (for as long as the attempt's `signal` lets it: a cancel or the task's deadline stops
 * it), then answers the run's best opportunities by score with their components as a JSON
 * artifact `venture-discovery`. Free. Refused when the run fails (with the run's reason) and when
 * the orchestrator has no venture discovery client.
 */
export async function ventureDiscoveryTool(
  deps: Pick<RuntimeDeps, 'ventureDiscovery'>,
  { task, signal }: RuntimeRun,
  { pollIntervalMs = DEFAULT_POLL_INTERVAL_MS }: VentureDiscoveryToolOptions = {},
): Promise<RuntimeAnswer> {
  const { ventureDiscovery: discovery } = deps;
  if (!discovery)
    throw new RunRefused('the venture discovery engine is not reachable from this orchestrator');
  let run: DiscoveryRun = await discovery.startRun({
    idempotencyKey: discoveryRunKey(task.id),
    signal,
  });
  while (run.state === 'queued' || run.state === 'running') {
    // Aborted: the caller's own reason (a cancel, the deadline), as the client's calls throw it.
    await sleep(pollIntervalMs, undefined, { signal }).catch((error: unknown) => {
      signal.throwIfAborted();
      throw error;
    });
    run = await discovery.run(run.id, { signal });
  }
  if (run.state === 'failed')
    throw new RunRefused(
      `venture discovery run ${run.id} failed: ${run.error ?? 'no reason given'}`,
    );
  const { items } = await discovery.opportunities(
    { run: run.id, sort: 'score', limit: TOP_OPPORTUNITIES },
    { signal },
  );
  return {
    artifacts: [
      dataArtifact('venture-discovery', {
        run: { id: run.id, finished_at: run.finished_at, progress: run.progress },
        opportunities: items.map(({ id, title, score, components }) => ({
          id,
          title,
          score,
          components,
        })),
      }),
    ],
    costAia: '0',
    metadata: { tool: 'venture-discovery', venture_discovery_run: run.id },
  };
}
