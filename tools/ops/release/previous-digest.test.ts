import { describe, expect, it } from 'vitest';
import { previousImage } from './previous-digest.js';
import {
  afterRollback,
  D,
  failedDeploy,
  firstDeployOnly,
  recordedUpdate,
  threeReleases,
} from './testing/stack-histories.js';

describe('the image `rollback --to-previous-digest` redeploys, from a recorded history', () => {
  it('is the last image before the current one, however many updates ran it', () => {
    expect(previousImage(threeReleases, D.three)).toMatchObject({
      found: true,
      image: D.two,
      version: 3,
    });
  });

  it('passes over failed updates, previews and refreshes: their config never ran', () => {
    const decision = previousImage(failedDeploy, D.three);
    expect(decision).toMatchObject({ found: true, image: D.two });
    expect(decision.skipped).toContainEqual({ version: 6, reason: 'failed: its config never ran' });
  });

  it('after a rollback from D3 to D2, rolls back to D1: never to the release the rollback removed', () => {
    const decision = previousImage(afterRollback, D.two);
    expect(decision).toMatchObject({ found: true, image: D.one, version: 1 });
    expect(decision.skipped).toContainEqual({ version: 5, reason: `${D.three} was rolled back` });
  });

  it('finds nothing on a stack that only ever ran one image, and says why', () => {
    expect(previousImage(firstDeployOnly, D.one)).toMatchObject({
      found: false,
      reason: `no succeeded update ran an image other than ${D.one} (that was not rolled back)`,
    });
    expect(previousImage([], D.one)).toMatchObject({
      found: false,
      reason: 'the history holds no succeeded update',
    });
  });

  it('finds nothing when every earlier image failed to deploy', () => {
    const history = [
      recordedUpdate(1, { imageTag: D.one }, `deploy ${D.one}`, 'failed'),
      recordedUpdate(2, { imageTag: D.two }, `deploy ${D.two}`),
    ];
    expect(previousImage(history, D.two)).toMatchObject({ found: false });
  });

  it('reads the history in any order (the Automation API lists newest first)', () => {
    expect(previousImage([...threeReleases].reverse(), D.three)).toMatchObject({
      image: D.two,
    });
  });
});
