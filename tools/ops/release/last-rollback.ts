import { MESSAGE_PREFIX } from './release-plans.js';
import type { StackUpdate } from './release-stack.js';

/** How `ops watch` titles its switch back (tools/ops/commands/watch.ts). */
const AUTOMATIC_ROLLBACK = 'automatic rollback:';

/**
 * The stack's newest succeeded update when it was a rollback (by hand, automatic, or a canary's
 * abort), else undefined. A colour rollback run again would switch back to the release the
 * first one removed: `ops rollback` asks for `--again` then.
 */
export function lastRollback(history: readonly StackUpdate[]): StackUpdate | undefined {
  const newest = [...history]
    .filter((update) => update.kind === 'update' && update.result === 'succeeded')
    .sort((a, b) => b.version - a.version)[0];
  if (!newest) return undefined;
  const { message } = newest;
  const isRollback =
    message.startsWith(MESSAGE_PREFIX.rollback) ||
    message.startsWith(AUTOMATIC_ROLLBACK) ||
    (message.startsWith(MESSAGE_PREFIX.canary) && message.includes(': canary aborted:'));
  return isRollback ? newest : undefined;
}
