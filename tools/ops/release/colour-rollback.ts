import { blueGreenServed } from './blue-green-served.js';
import { shortDigest } from './digest.js';
import { imageOf, otherColour, type ReleaseConfig, releaseConfigOf } from './release-config.js';
import { MESSAGE_PREFIX } from './release-plans.js';
import { historyUntil, type ReleaseStack, type StackUpdate } from './release-stack.js';

export type ColourRollbackCheck =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly message: string };

/**
 * `ops rollback` (the colour switch) sends users to the other colour on the understanding that it
 * runs the release before. After `ops deploy` it runs the new release instead, which no user has
 * reached yet: switching to it would put an untested release live (for instance when the
 * production smoke test of the idle colour failed and the job stopped). Refused then, with what
 * the colours and the rolling services run and what to do instead. The history is read page by
 * page until the other colour's image is seen serving, or to its start.
 */
export async function checkColourRollback(
  stack: ReleaseStack,
  config: ReleaseConfig,
): Promise<ColourRollbackCheck> {
  const live = config.activeColor;
  const other = otherColour(live);
  const image = imageOf(config, other);
  const history = await historyUntil(stack, (updates) =>
    blueGreenServed(updates, config).has(image),
  );
  if (blueGreenServed(history, config).has(image)) return { allowed: true };
  const deployed = deployOf(history, other, image);
  const liveImage = imageOf(config, live);
  const rolling =
    config.imageTag === liveImage
      ? `The rolling services run ${shortDigest(liveImage)} too: nothing to roll back.`
      : `The rolling services run ${config.imageTag}; to take them back to the image before it, and\nevery service with them:\n  npm run ops -- rollback --stack ${stack.name} --to-previous-digest`;
  return {
    allowed: false,
    message: [
      `${stack.name}: refused: the other colour ${other} runs ${image}, which never served users${deployed ? ` (deployed by update ${deployed}, never switched to)` : ''}.`,
      `The live colour ${live} runs ${liveImage}, the release before it: switching would put the new, never-live release in front of users.`,
      rolling,
      '',
    ].join('\n'),
  };
}

/** The newest succeeded deploy that put `image` on `colour`, if the history read holds it. */
function deployOf(
  history: readonly StackUpdate[],
  colour: 'blue' | 'green',
  image: string,
): number | undefined {
  return [...history]
    .sort((a, b) => b.version - a.version)
    .find((update) => {
      if (update.result !== 'succeeded' || !update.message.startsWith(MESSAGE_PREFIX.deploy)) {
        return false;
      }
      try {
        return imageOf(releaseConfigOf(update.config), colour) === image;
      } catch {
        return false;
      }
    })?.version;
}
