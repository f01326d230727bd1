import { blueGreenServing, type ReleaseConfig, releaseConfigOf } from './release-config.js';
import type { StackUpdate } from './release-stack.js';

/**
 * The images the blue-green services' users reached in the succeeded updates of `history` (the
 * live colour's, and the idle colour's during a canary), and in `current`, the config running now.
 * `ops deploy` puts a new image on the idle colour: until a switch or a canary step makes it live,
 * it is missing here.
 */
export function blueGreenServed(
  history: readonly StackUpdate[],
  current?: ReleaseConfig,
): Set<string> {
  const served = new Set(current ? blueGreenServing(current) : []);
  for (const update of history) {
    if (update.kind !== 'update' || update.result !== 'succeeded') continue;
    try {
      for (const image of blueGreenServing(releaseConfigOf(update.config))) served.add(image);
    } catch {
      // No imageTag in its config: not a release update.
    }
  }
  return served;
}
