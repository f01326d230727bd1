import { MESSAGE_PREFIX } from './release-plans.js';
import type { StackUpdate } from './release-stack.js';

/** How `ops watch` titles its switch back (tools/ops/commands/watch.ts). */
const AUTOMATIC_ROLLBACK = 'automatic rollback:';

/**
 * Whether an update's message says it was a rollback: by hand (`rollback …`, both kinds), the
 * release watch's switch back (`automatic rollback: …`), or a canary's abort.
 */
export const isRollbackMessage = (message: string): boolean =>
  message.startsWith(MESSAGE_PREFIX.rollback) ||
  message.startsWith(AUTOMATIC_ROLLBACK) ||
  (message.startsWith(MESSAGE_PREFIX.canary) && message.includes(': canary aborted:'));

/**
 * The stack's newest succeeded update when it was a rollback (by hand, automatic, or a canary's
 * abort), else undefined. A colour rollback run again would switch back to the release the
 * first one removed: `ops rollback` asks for `--again` then.
 */
export function lastRollback(history: readonly StackUpdate[]): StackUpdate | undefined {
  const newest = [...history]
    .filter((update) => update.kind === 'update' && update.result === 'succeeded')
    .sort((a, b) => b.version - a.version)[0];
  return newest && isRollbackMessage(newest.message) ? newest : undefined;
}
