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
 * imageTag; of the blue-green services' colours, the live one stays if it runs it already, the
 * idle one is switched to if it does, else the idle one gets it and is switched to, in one update.
 */
export function digestRollbackPlan(config: ReleaseConfig, digest: string): ReleasePlan {
  const live = config.activeColor;
  const idle = otherColour(live);
  const colourChanges: ConfigChange[] =
    imageOf(config, live) === digest
      ? []
      : imageOf(config, idle) === digest
        ? [{ path: 'services.activeColor', value: idle }]
        : [
            ...(config.colorImageTags[live]
              ? []
              : [{ path: `services.colorImageTags.${live}`, value: config.imageTag }]),
            { path: `services.colorImageTags.${idle}`, value: digest },
            { path: 'services.activeColor', value: idle },
          ];
  return {
    changes: [{ path: 'imageTag', value: digest }, ...colourChanges, ...endCanary(config)],
    message: `${MESSAGE_PREFIX.rollback}to ${digest} from ${config.imageTag}`,
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
