import { shortDigest } from './digest.js';
import {
  type Colour,
  type ConfigChange,
  imageOf,
  otherColour,
  type ReleaseConfig,
} from './release-config.js';

/** Config changes and the update's message: one `pulumi up`. */
export interface ReleasePlan {
  readonly changes: readonly ConfigChange[];
  readonly message: string;
}

/** Every message a release command writes starts with one of these: the history reads them back. */
export const MESSAGE_PREFIX = {
  deploy: 'deploy ',
  switch: 'switch ',
  rollback: 'rollback ',
  canary: 'canary ',
  flag: 'flag ',
} as const;

/**
 * `deploy`: the rolling services get `digest` (imageTag); the blue-green services get it on the
 * idle colour only. The live colour keeps what it runs: when it had no tag of its own (it ran
 * imageTag), it is pinned to the old imageTag first, so the new imageTag does not reach it.
 */
export function deployPlan(config: ReleaseConfig, digest: string, note?: string): ReleasePlan {
  const live = config.activeColor;
  const idle = otherColour(live);
  const pinLive: ConfigChange[] = config.colorImageTags[live]
    ? []
    : [{ path: `services.colorImageTags.${live}`, value: config.imageTag }];
  return {
    changes: [
      ...pinLive,
      { path: `services.colorImageTags.${idle}`, value: digest },
      { path: 'imageTag', value: digest },
    ],
    message: `${MESSAGE_PREFIX.deploy}${digest} (idle colour ${idle}; live ${live} keeps ${shortDigest(imageOf(config, live))})${note ? `: ${note}` : ''}`,
  };
}

/** `switch`: the idle colour becomes live (ends a canary too). */
export function switchPlan(config: ReleaseConfig, reason = 'release'): ReleasePlan {
  const to = otherColour(config.activeColor);
  return {
    changes: [{ path: 'services.activeColor', value: to }, ...endCanary(config)],
    message: `${MESSAGE_PREFIX.switch}to ${to} (${shortDigest(imageOf(config, to))}, was ${config.activeColor}): ${reason}`,
  };
}

/** `rollback` (default): traffic back to the other colour, which still runs the previous release. */
export function colourRollbackPlan(config: ReleaseConfig, reason = 'by hand'): ReleasePlan {
  const to = otherColour(config.activeColor);
  return {
    changes: [{ path: 'services.activeColor', value: to }, ...endCanary(config)],
    message: `${MESSAGE_PREFIX.rollback}to colour ${to} (${shortDigest(imageOf(config, to))}): ${reason}`,
  };
}

/**
 * `rollback --to-previous-digest`: every service back on `digest`. The rolling services get it as
 * imageTag. The blue-green services go back only to an image their users reached before
 * (`servedWell`: served, and not rolled back since), never live onto one they never served:
 * - their live colour runs `digest` already, or runs neither `digest` nor the current imageTag (a
 *   switch never made: aia-api is not on the release being rolled back): left as they are;
 * - else the idle colour runs `digest`: switched to;
 * - else `digest` served them before: the idle colour gets it and is switched to;
 * - else the idle colour's image served them before: switched to (aia-api back to its own release
 *   before, the rolling services to `digest`);
 * - else refused: no image to send aia-api's users back to.
 * One update; its message names what aia-api does when that is not the plain rollback.
 */
export function digestRollbackPlan(
  config: ReleaseConfig,
  digest: string,
  servedWell: (image: string) => boolean,
): ReleasePlan | { readonly refused: string } {
  const live = config.activeColor;
  const idle = otherColour(live);
  const liveImage = imageOf(config, live);
  const idleImage = imageOf(config, idle);
  const switchToIdle: ConfigChange = { path: 'services.activeColor', value: idle };
  let colourChanges: ConfigChange[] = [];
  let note = '';
  if (liveImage === digest) {
    // Already there.
  } else if (liveImage !== config.imageTag) {
    note = ` (aia-api stays on ${live}, ${shortDigest(liveImage)}, which it serves: it never went live on ${shortDigest(config.imageTag)})`;
  } else if (idleImage === digest) {
    colourChanges = [switchToIdle];
  } else if (servedWell(digest)) {
    colourChanges = [
      ...(config.colorImageTags[live]
        ? []
        : [{ path: `services.colorImageTags.${live}`, value: config.imageTag }]),
      { path: `services.colorImageTags.${idle}`, value: digest },
      switchToIdle,
    ];
  } else if (servedWell(idleImage)) {
    colourChanges = [switchToIdle];
    note = ` (aia-api back to ${idle}, ${shortDigest(idleImage)}, the release it served before: it never served ${shortDigest(digest)})`;
  } else {
    return {
      refused: `aia-api's live colour ${live} runs ${config.imageTag}, and neither ${digest} nor its idle colour's ${idleImage} ever served its users: rolling back would put aia-api live on an image it never served. Deploy a fixed digest, or switch by hand after checking the idle colour`,
    };
  }
  return {
    changes: [{ path: 'imageTag', value: digest }, ...colourChanges, ...endCanary(config)],
    message: `${MESSAGE_PREFIX.rollback}to ${digest} from ${config.imageTag}${note}`,
  };
}

/**
 * A canary step: `percent` of the blue-green services' traffic to the idle colour (0 ends the
 * canary: the live colour alone again).
 */
export function canaryPlan(config: ReleaseConfig, percent: number, reason: string): ReleasePlan {
  const idle: Colour = otherColour(config.activeColor);
  return {
    changes:
      percent > 0 ? [{ path: 'services.canary.percent', value: percent }] : endCanary(config, true),
    message: `${MESSAGE_PREFIX.canary}${percent} % to ${idle} (${shortDigest(imageOf(config, idle))}): ${reason}`,
  };
}

const endCanary = (config: ReleaseConfig, always = false): ConfigChange[] =>
  config.canaryPercent !== undefined || always ? [{ path: 'services.canary', remove: true }] : [];
