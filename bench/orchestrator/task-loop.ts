/** Milliseconds since the epoch with sub-millisecond precision: comparable with PostgreSQL's clock. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** One task as its client saw it, in epoch milliseconds (see {@link epochMs}). */
export interface TaskRecord {
  /** The queue job's id: the task's own id (the orchestrator names its run job after its task). */
  readonly jobId: string;
  /** When the client started submitting it. */
  readonly sentAt: number;
  /** When the client learned it had completed. */
  readonly doneAt: number;
}

/** Options of {@link runTaskLoop}. */
export interface TaskLoopOptions {
  /** Concurrent clients, each with one task in flight from submit to completed. */
  readonly clients: number;
  /** Excluded from the figures: lets the JIT, pools and caches settle. */
  readonly warmupMs: number;
  /** Measured time after the warm-up. */
  readonly durationMs: number;
  /** Submits one task and resolves once it completed; throws when it failed or timed out. */
  readonly runOne: (client: number) => Promise<TaskRecord>;
  /** Stops the run early (Ctrl-C); the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called once, at the start of the measured window (CPU snapshots). */
  readonly onWindowStart?: () => void;
  /** Called once, when the window closes (clients then finish the task they have in flight). */
  readonly onWindowEnd?: () => void;
}

/** What a closed loop measured. */
export interface TaskLoopResult {
  readonly clients: number;
  /** The measured window, in epoch milliseconds. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Tasks completed within the window (whenever they were sent). */
  readonly records: readonly TaskRecord[];
  /** Tasks that failed or timed out within the window. */
  readonly errors: number;
  /** The first failure seen, warm-up included. */
  readonly firstError?: string;
}

/**
 * A closed loop of `clients`, each submitting its next task as soon as its last one completed,
 * until the window closes (a client's last task is awaited, so the queue is empty afterwards).
 * The tasks that completed within the window count, whenever they were sent: here a task can
 * take a second or more, and counting only tasks both sent and completed within a window of a few
 * seconds (the ledger's rule, for requests of milliseconds) would leave out the slow ones and
 * undercount throughput. The warm-up lets the queue fill to its steady state first. Closed loop
 * means throughput and latency are coupled.
 */
export async function runTaskLoop(options: TaskLoopOptions): Promise<TaskLoopResult> {
  const { clients, runOne, signal } = options;
  const windowStart = epochMs() + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const records: TaskRecord[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const timers = [
    setTimeout(() => options.onWindowStart?.(), options.warmupMs),
    setTimeout(() => options.onWindowEnd?.(), options.warmupMs + options.durationMs),
  ];

  const client = async (_: unknown, index: number): Promise<void> => {
    while (!signal?.aborted) {
      const sentAt = epochMs();
      if (sentAt >= windowEnd) return;
      try {
        const record = await runOne(index);
        if (record.doneAt >= windowStart && record.doneAt <= windowEnd) records.push(record);
      } catch (error) {
        firstError ??= (error as Error).message;
        const failedAt = epochMs();
        if (failedAt >= windowStart && failedAt <= windowEnd) errors++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, client));
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
  signal?.throwIfAborted();
  return {
    clients,
    windowStart,
    windowEnd,
    records,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
