import { describe, expect, it } from 'vitest';
import { lastRollback } from './last-rollback.js';
import { afterRollback, D, recordedUpdate, threeReleases } from './testing/stack-histories.js';

describe('whether the stack was just rolled back, from a recorded history', () => {
  it('is the newest succeeded update when it was a rollback by hand', () => {
    expect(lastRollback(afterRollback)?.version).toBe(6);
    expect(lastRollback(threeReleases)).toBeUndefined();
  });

  it("knows the watch's automatic rollback and a canary's abort, and passes over failed updates", () => {
    const watched = [
      recordedUpdate(6, { imageTag: D.three }, 'automatic rollback: RollbackErrorRateExceeded: 25'),
      recordedUpdate(7, { imageTag: D.four }, `deploy ${D.four}`, 'failed'),
      ...threeReleases,
    ];
    expect(lastRollback(watched)?.version).toBe(6);
    const aborted = [
      recordedUpdate(
        6,
        { imageTag: D.three },
        'canary 0 % to green (sha256:…): canary aborted: no traffic',
      ),
      ...threeReleases,
    ];
    expect(lastRollback(aborted)?.version).toBe(6);
  });
});
