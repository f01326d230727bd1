import { blueGreenServed } from './blue-green-served.js';
import { type PreviousImage, previousImage, type SkippedUpdate } from './previous-digest.js';
import { digestRollbackPlan, type ReleasePlan } from './release-plans.js';
import { historyUntil, type ReleaseStack, type StackUpdate } from './release-stack.js';
import { rollbackOfImage } from './rolled-back-image.js';

type Decided =
  | { readonly plan: ReleasePlan; readonly target: PreviousImage & { readonly found: true } }
  | { readonly refused: string; readonly skipped: readonly SkippedUpdate[] };

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
 * `rollback --to-previous-digest`, and the deploy watch's rollback: reads the stack's history (page
 * by page, until it names an image to go back to or ends),
 * finds the image before the current one (`previousImage`) and redeploys it to every service in
 * one update whose message names both images and `reason` (aia-api only ever goes back to an image
 * its users reached: `digestRollbackPlan`). Nothing is changed when the history holds no earlier
 * image, or when aia-api would have to go live on an image it never served.
 */
export async function rollBackToPreviousDigest(
  stack: ReleaseStack,
  reason?: string,
): Promise<DigestRollback> {
  const config = await stack.config();
  const decide = (history: readonly StackUpdate[]): Decided => {
    const target = previousImage(history, config.imageTag);
    if (!target.found) return { refused: target.reason, skipped: target.skipped };
    const served = blueGreenServed(history, config);
    const plan = digestRollbackPlan(
      config,
      target.image,
      (image) => served.has(image) && !rollbackOfImage(history, image),
    );
    return 'refused' in plan
      ? { refused: plan.refused, skipped: target.skipped }
      : { plan, target };
  };
  // Canary steps and flag changes are updates too: read on until the history answers.
  const decided = decide(await historyUntil(stack, (updates) => 'plan' in decide(updates)));
  if (!('plan' in decided)) {
    return { done: false, reason: decided.refused, skipped: decided.skipped };
  }
  const { plan, target } = decided;
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
