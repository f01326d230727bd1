import { isDatabaseUnavailable } from '../../platform/database-errors.js';
import type { Database } from '../../platform/db.js';
import { ServiceUnavailableError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/transactions.js';
import { applySubmissions, type OperationOutcome, type Submission } from './apply-operation.js';

export interface GroupCommitOptions {
  /**
   * Transactions in flight at once. Default 2: one commits while the next one fills (more only
   * added lock and CPU contention, measured with the ledger benchmark).
   */
  readonly maxInFlight?: number;
  /** Operations per transaction at most. Default 1,000. */
  readonly maxOperations?: number;
  /**
   * How long an operation may wait for its group before it is refused unwritten (503), so that a
   * caller whose request timed out is not committed for later. Default 10 s (a third of the
   * default request timeout).
   */
  readonly maxWaitMs?: number;
}

interface Waiting {
  readonly submission: Submission;
  readonly deadline: number;
  readonly resolve: (outcome: OperationOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for independent operations (single transfers): operations that arrive while
 * transactions are in flight wait and then go together in the next one, each with its own
 * authorisation, results and audit entry. Nothing waits on a timer: alone, an operation commits
 * at once; under load, one lock round, one write and one WAL flush serve many. Each caller is
 * answered only after the commit that holds its operation.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxOperations: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly sql: Database,
    { maxInFlight = 2, maxOperations = 1_000, maxWaitMs = 10_000 }: GroupCommitOptions = {},
  ) {
    this.maxInFlight = maxInFlight;
    this.maxOperations = maxOperations;
    this.maxWaitMs = maxWaitMs;
  }

  /** Applies the operation in the next group; resolves once that group committed. */
  submit(submission: Submission): Promise<OperationOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        submission,
        deadline: performance.now() + this.maxWaitMs,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const now = performance.now();
      const group = this.waiting.splice(0, this.maxOperations).filter((waiting) => {
        if (waiting.deadline >= now) return true;
        waiting.reject(
          new ServiceUnavailableError(
            `the ledger could not start this transfer within ${this.maxWaitMs} ms; nothing was written, send it again`,
          ),
        );
        return false;
      });
      if (group.length === 0) continue;
      this.inFlight++;
      void this.commit(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async commit(group: readonly Waiting[]): Promise<void> {
    try {
      const outcomes = await this.apply(group);
      group.forEach((waiting, index) => {
        waiting.resolve(outcomes[index] as OperationOutcome);
      });
    } catch (error) {
      // Halving cannot single out a cause when the database itself is gone: every operation
      // gets the error at once (a 503) instead of 2n failing transactions.
      if (group.length === 1 || isDatabaseUnavailable(error)) {
        for (const waiting of group) waiting.reject(error);
        return;
      }
      // An error of the whole transaction is nobody's in particular: halve the group until the
      // operation that causes it fails alone; the others commit, at a cost of about log2(n)
      // extra transactions rather than one per operation.
      const middle = Math.ceil(group.length / 2);
      await this.commit(group.slice(0, middle));
      await this.commit(group.slice(middle));
    }
  }

  private apply(group: readonly Waiting[]): Promise<OperationOutcome[]> {
    // One retry covers a race on an id with another transaction; more would multiply the cost
    // of a group that fails for good.
    return inTransaction(
      this.sql,
      (tx) =>
        applySubmissions(
          tx,
          group.map((waiting) => waiting.submission),
        ),
      2,
    );
  }
}
