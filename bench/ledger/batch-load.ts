import { Agent } from 'node:http';
import { MAX_BATCH, postBatch } from './ledger-api.js';
import { randomTransfer } from './ledger-fixture.js';
import { median } from './percentiles.js';

/** Options of `runBatches`. */
export interface BatchLoadOptions {
  readonly origin: URL;
  readonly token: string;
  readonly accountIds: readonly string[];
  readonly amount: string;
  /** Send batches for this long (after one warm-up batch)… */
  readonly durationMs: number;
  /** …but at least this many. */
  readonly minBatches: number;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/** What the sequential batch run measured. */
export interface BatchLoadResult {
  readonly batches: number;
  readonly batchSize: number;
  /** Transfers the service answered `created`. */
  readonly created: number;
  readonly failed: number;
  readonly seconds: number;
  /** Created transfers / wall time of all measured batches. */
  readonly perSecond: number;
  readonly medianBatchMs: number;
  readonly firstFailure?: string;
}

/**
 * Sends batches of `batchSize` (default 8,000) transfers between random account pairs one after
 * the other, each as soon as the previous one was answered: the bulk path's throughput without
 * any client concurrency. Each batch's items are drawn before its clock starts; its JSON encoding
 * and the answer's decoding are timed, as any client pays them. One warm-up batch is not counted.
 */
export async function runBatches(options: BatchLoadOptions): Promise<BatchLoadResult> {
  const { origin, token, accountIds, amount, signal } = options;
  const batchSize = options.batchSize ?? MAX_BATCH;
  const makeBatch = () =>
    Array.from({ length: batchSize }, () => randomTransfer(accountIds, amount));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await postBatch(agent, origin, token, makeBatch());
    const durations: number[] = [];
    let created = 0;
    let failed = 0;
    let firstFailure: string | undefined;
    const started = performance.now();
    while (
      !signal?.aborted &&
      (durations.length < options.minBatches || performance.now() - started < options.durationMs)
    ) {
      const batch = makeBatch();
      const sentAt = performance.now();
      const outcome = await postBatch(agent, origin, token, batch);
      durations.push(performance.now() - sentAt);
      created += outcome.created;
      failed += outcome.failed;
      firstFailure ??= outcome.firstFailure;
    }
    signal?.throwIfAborted();
    // The wall time of the requests back to back: building the next body in between is the
    // client's work, which a real client would have done before it needed to send.
    const seconds = durations.reduce((sum, ms) => sum + ms, 0) / 1000;
    return {
      batches: durations.length,
      batchSize,
      created,
      failed,
      seconds,
      perSecond: created / seconds,
      medianBatchMs: median(durations),
      ...(firstFailure === undefined ? {} : { firstFailure }),
    };
  } finally {
    agent.destroy();
  }
}
