import type { TransferRow } from './ledger-rows.js';
import type { WalCommit } from './wal-archive.js';

/** Which transfers a restore to the target time must hold, decided the way recovery decides. */
export interface TargetExpectation {
  /** Ids of the source's transfers the restore must contain. */
  readonly recovered: ReadonlySet<string>;
  /**
   * The commit (or abort) record recovery stops before: the first, in WAL order after the
   * target's position, stamped after the target. Undefined when none was (the load ended first).
   */
  readonly stop: WalCommit | undefined;
  /** The last commit recovery replays before `stop`, when it lies after the target's position. */
  readonly lastRecovered: WalCommit | undefined;
  /**
   * Transfers stamped at or before the target whose commit record follows `stop` in the WAL: a
   * commit takes its timestamp before inserting its record, so near the target two concurrent
   * commits can be in the WAL in the opposite order of their timestamps. Recovery, which reads
   * records in order, leaves these out; so must the expectation.
   */
  readonly stampedBeforeButAfterStop: ReadonlySet<string>;
}

/**
 * Applies PostgreSQL's rule for `recovery_target_time` with `recovery_target_inclusive = on`:
 * replay every commit and abort record until the first one stamped after the target, and stop
 * before it.
 * `commits` are the records from the target's position onward, in WAL order; every commit before
 * that position was stamped before the target, so it is recovered.
 */
export function expectAtTarget(
  transfers: readonly TransferRow[],
  commits: readonly WalCommit[],
  targetUs: bigint,
): TargetExpectation {
  const stopIndex = commits.findIndex((commit) => commit.committedUs > targetUs);
  const stop = stopIndex === -1 ? undefined : commits[stopIndex];
  const lastRecovered = stopIndex > 0 ? commits[stopIndex - 1] : undefined;
  const late = new Set(stopIndex === -1 ? [] : commits.slice(stopIndex).flatMap((c) => c.xids));
  const recovered = new Set<string>();
  const stampedBeforeButAfterStop = new Set<string>();
  for (const row of transfers) {
    if (!late.has(row.xid)) recovered.add(row.id);
    else if (row.committedUs !== undefined && row.committedUs <= targetUs)
      stampedBeforeButAfterStop.add(row.id);
  }
  return { recovered, stop, lastRecovered, stampedBeforeButAfterStop };
}
