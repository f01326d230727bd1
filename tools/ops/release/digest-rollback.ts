import { type PreviousImage, previousImage, type SkippedUpdate } from './previous-digest.js';
import { digestRollbackPlan } from './release-plans.js';
import type { ReleaseStack } from './release-stack.js';

export type DigestRollback =
  | {
      readonly done: true;
      /** The update's message (`rollback to <image> from <current>[: reason]`). */
      readonly message: string;
      readonly image: string;
      /** The update that deployed `image` first. */
      readonly version: number;
      readonly skipped: readonly SkippedUpdate[];
    }
  | { readonly done: false; readonly reason: string; readonly skipped: readonly SkippedUpdate[] };

/**
 * `rollback --to-previous-digest`, and the deploy watch's rollback: reads the stack's history,
 * finds the image before the current one (`previousImage`) and redeploys it to every service in
 * one update whose message names both images and `reason`. Nothing is changed when the history
 * holds no earlier image.
 */
export async function rollBackToPreviousDigest(
  stack: ReleaseStack,
  reason?: string,
): Promise<DigestRollback> {
  const config = await stack.config();
  const target: PreviousImage = previousImage(await stack.history(), config.imageTag);
  if (!target.found) return { done: false, reason: target.reason, skipped: target.skipped };
  const plan = digestRollbackPlan(config, target.image);
  const message = `${plan.message}${reason ? `: ${reason}` : ''}`;
  await stack.update(plan.changes, message);
  return {
    done: true,
    message,
    image: target.image,
    version: target.version,
    skipped: target.skipped,
  };
}
