import { shortDigest } from './digest.js';
import { rollBackToPreviousDigest } from './digest-rollback.js';
import { type Colour, type ConfigChange, imageOf } from './release-config.js';
import type { ReleaseStack } from './release-stack.js';

/**
 * What `ops watch` does on a breach after a switch to `colour`: rolls the whole release back, not
 * only aia-api. The five rolling services took the new image during `ops deploy` (imageTag), so
 * a switch back alone would leave them on the image that breached. When they run the released
 * colour's image, the image before it in the stack's history is redeployed to every service in
 * one update (`rollBackToPreviousDigest`: aia-api to the colour that served before, the rolling
 * services to its image), its message `rollback to … from …: automatic rollback: <reason>`. When
 * the history holds no image to go back to, aia-api alone is switched back and the returned text
 * says the rollback is PARTIAL (the decision records it, the page carries it). When the rolling
 * services run another image (the release was aia-api's alone), aia-api alone is switched back.
 * Resolves with what was done, for the decision's reason; rejects when an update fails.
 */
export async function rollBackWatchedRelease(
  stack: ReleaseStack,
  input: { readonly colour: Colour; readonly previousColour: Colour; readonly reason: string },
): Promise<string> {
  const { colour, previousColour } = input;
  const message = `automatic rollback: ${input.reason}`;
  await stack.refreshConfig();
  const config = await stack.config();
  const released = imageOf(config, colour);
  const switchBack = async () => {
    const changes: ConfigChange[] = [
      { path: 'services.activeColor', value: previousColour },
      ...(config.canaryPercent !== undefined
        ? [{ path: 'services.canary', remove: true } as const]
        : []),
    ];
    await stack.update(changes, message);
  };
  if (config.activeColor === colour && config.imageTag === released) {
    const rolled = await rollBackToPreviousDigest(stack, message);
    if (rolled.done) {
      const after = await stack.config();
      return `every service rolled back to ${shortDigest(rolled.image)} (aia-api on ${after.activeColor}, ${shortDigest(imageOf(after, after.activeColor))}) by one update: ${rolled.message.slice(0, rolled.message.indexOf(': '))}`;
    }
    await switchBack();
    return `PARTIAL rollback: aia-api switched back to ${previousColour} (${shortDigest(imageOf(config, previousColour))}), but the rolling services still run ${shortDigest(released)}: ${rolled.reason}; roll them back by hand (npm run ops -- rollback --stack ${stack.name} --to-previous-digest, or deploy a fixed digest)`;
  }
  await switchBack();
  return `aia-api switched back to ${previousColour} (${shortDigest(imageOf(config, previousColour))}); the rolling services run ${shortDigest(config.imageTag)}, not ${shortDigest(released)}: nothing of theirs to roll back`;
}
