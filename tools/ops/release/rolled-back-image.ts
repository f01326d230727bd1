import { shortDigest } from './digest.js';
import { isRollbackMessage } from './last-rollback.js';
import {
  blueGreenServing,
  imageOf,
  otherColour,
  type ReleaseConfig,
  releaseConfigOf,
} from './release-config.js';
import { MESSAGE_PREFIX } from './release-plans.js';
import type { StackUpdate } from './release-stack.js';

/** The rollback that took an image out of service, as the stack's history records it. */
export interface ImageRollback {
  readonly image: string;
  /** The rollback update. */
  readonly version: number;
  /** When it ran, ISO 8601. */
  readonly at: string;
  /** Its whole message: what it did and why. */
  readonly message: string;
  /** Why, as the message says it (after the first ": "), when it says. */
  readonly reason?: string;
}

/**
 * The rollback that last took `image` out of service, unless a later update deployed it again
 * or a later rollback put it back (`rollback --again`). Read from the stack's update history:
 * each succeeded rollback (`isRollbackMessage`: `rollback --to-previous-digest`, the deploy
 * watch's automatic one, a colour rollback by hand or by `ops watch`, a canary's abort) is
 * compared with the update before it, per kind of workload — the rolling services' `imageTag`,
 * the blue-green services' live colour (and the idle colour while a canary gives it traffic) —
 * and an image serving before but not after was judged bad there.
 */
export function rollbackOfImage(
  history: readonly StackUpdate[],
  image: string,
): ImageRollback | undefined {
  const judged = new Map<string, ImageRollback>();
  let before: ReleaseConfig | undefined;
  for (const update of [...history].sort((a, b) => a.version - b.version)) {
    if (update.kind !== 'update' || update.result !== 'succeeded') continue;
    let after: ReleaseConfig;
    try {
      after = releaseConfigOf(update.config);
    } catch {
      continue;
    }
    if (update.message.startsWith(MESSAGE_PREFIX.deploy)) judged.delete(after.imageTag);
    if (before && isRollbackMessage(update.message)) {
      const removed = new Set<string>();
      const restored = new Set<string>();
      for (const servedBy of [rolling, blueGreenServing]) {
        const was = servedBy(before);
        const is = servedBy(after);
        for (const served of was) if (!is.has(served)) removed.add(served);
        for (const served of is) if (!was.has(served)) restored.add(served);
      }
      // A rollback that brings back what an earlier one removed reverses it: nothing judged.
      if ([...restored].some((served) => judged.has(served))) {
        for (const served of restored) judged.delete(served);
      } else {
        for (const served of removed) judged.set(served, rollbackRecord(served, update));
      }
    }
    before = after;
  }
  return judged.get(image);
}

const rolling = (config: ReleaseConfig) => new Set([config.imageTag]);

function rollbackRecord(image: string, update: StackUpdate): ImageRollback {
  const colon = update.message.indexOf(': ');
  return {
    image,
    version: update.version,
    at: new Date(update.startTime).toISOString(),
    message: update.message,
    ...(colon >= 0 ? { reason: update.message.slice(colon + 2) } : {}),
  };
}

/** What `switch` and `canary` may do with the idle colour. */
export type IdleColourCheck =
  | {
      readonly allowed: true;
      /** The update message's reason: the one given, noting the rollback overridden if any. */
      readonly reason?: string;
    }
  | { readonly allowed: false; readonly message: string };

/**
 * `switch` and `canary` put the idle colour's image in front of users. Refused when the stack's
 * history records that image as rolled back (`rollbackOfImage`), with what happened and what to
 * do instead, unless `force` with a `reason`, which goes into the update's message.
 */
export function checkIdleColour(input: {
  readonly command: 'switch' | 'canary';
  readonly stack: string;
  readonly config: ReleaseConfig;
  readonly history: readonly StackUpdate[];
  readonly force: boolean;
  readonly reason?: string;
}): IdleColourCheck {
  const { command, stack, config, force, reason } = input;
  if (force && !reason?.trim()) {
    throw new Error(
      '--force needs --reason <why>: overriding a rollback is recorded in the update, with why',
    );
  }
  const idle = otherColour(config.activeColor);
  const image = imageOf(config, idle);
  const rollback = rollbackOfImage(input.history, image);
  if (!rollback) return { allowed: true, ...(reason ? { reason } : {}) };
  if (force) {
    return {
      allowed: true,
      reason: `forced past update ${rollback.version}'s rollback of ${shortDigest(image)}: ${reason}`,
    };
  }
  return {
    allowed: false,
    message: [
      `${stack}: refused: the idle colour ${idle} runs ${image}, which update ${rollback.version} rolled back at ${rollback.at}`,
      `  what: ${rollback.reason ? rollback.message.slice(0, -(rollback.reason.length + 2)) : rollback.message}`,
      `  why: ${rollback.reason ?? 'no reason given'}`,
      `${command} would put it in front of users again. Instead deploy a fixed digest, which replaces it on the idle colour, then ${command}:`,
      `  npm run ops -- deploy --stack ${stack} --digest sha256:<fixed>`,
      `or, if the rollback no longer applies, override it; the reason is recorded in the update's message:`,
      `  npm run ops -- ${command} --stack ${stack} ${command === 'canary' ? '--steps … --step-seconds … ' : ''}--force --reason "<why>"`,
      '',
    ].join('\n'),
  };
}
