import { releaseConfigOf } from './release-config.js';
import { MESSAGE_PREFIX } from './release-plans.js';
import type { StackUpdate } from './release-stack.js';

/** An update of the history that a rollback passed over, and why. */
export interface SkippedUpdate {
  readonly version: number;
  readonly reason: string;
}

export type PreviousImage =
  | {
      readonly found: true;
      /** What to redeploy: the image of the last good update before the current image. */
      readonly image: string;
      /** The update that deployed it. */
      readonly version: number;
      readonly current: string;
      readonly skipped: readonly SkippedUpdate[];
    }
  | {
      readonly found: false;
      readonly current: string;
      readonly reason: string;
      readonly skipped: readonly SkippedUpdate[];
    };

/**
 * What `rollback --to-previous-digest` redeploys, read from the stack's update history: walking
 * back from the newest update, the first image (`imageTag` in the update's config snapshot) that
 * is not `current`. Passed over: updates that are not `update`s or did not succeed (their config
 * never ran), and images a later rollback moved away from (rolling back twice must not bring back
 * the release the first rollback removed).
 */
export function previousImage(history: readonly StackUpdate[], current: string): PreviousImage {
  const skipped: SkippedUpdate[] = [];
  const applied: { version: number; image: string; rollback: boolean }[] = [];
  for (const update of [...history].sort((a, b) => a.version - b.version)) {
    if (update.kind !== 'update') continue;
    if (update.result !== 'succeeded') {
      skipped.push({ version: update.version, reason: `${update.result}: its config never ran` });
      continue;
    }
    let image: string;
    try {
      image = releaseConfigOf(update.config).imageTag;
    } catch {
      skipped.push({ version: update.version, reason: 'no imageTag in its config' });
      continue;
    }
    applied.push({
      version: update.version,
      image,
      rollback: update.message.startsWith(MESSAGE_PREFIX.rollback),
    });
  }
  // An image that a rollback replaced was judged bad: never a target again.
  const rolledBack = new Set<string>();
  for (const [index, entry] of applied.entries()) {
    const before = applied[index - 1];
    if (entry.rollback && before && before.image !== entry.image) rolledBack.add(before.image);
  }
  for (const entry of [...applied].reverse()) {
    if (entry.image === current) continue;
    if (rolledBack.has(entry.image)) {
      skipped.push({ version: entry.version, reason: `${entry.image} was rolled back` });
      continue;
    }
    return { found: true, image: entry.image, version: entry.version, current, skipped };
  }
  return {
    found: false,
    current,
    reason: applied.length
      ? `no succeeded update ran an image other than ${current} (that was not rolled back)`
      : 'the history holds no succeeded update',
    skipped,
  };
}
