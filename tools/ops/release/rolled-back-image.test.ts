import { describe, expect, it } from 'vitest';
import { rollbackOfImage } from './rolled-back-image.js';
import { afterRollback, D, recordedUpdate, threeReleases } from './testing/stack-histories.js';

/** threeReleases (D3 live on blue, D2 on green), then D4 deployed to green by update 6. */
const deployedFour = [
  ...threeReleases,
  recordedUpdate(
    6,
    { imageTag: D.four, activeColor: 'blue', colorImageTags: { blue: D.three, green: D.four } },
    `deploy ${D.four} (idle colour green; live blue keeps sha256:333333333333)`,
  ),
];

describe('which rollback took an image out of service, from a recorded history', () => {
  it("the deploy watch's rollback judges the digest it moved the rolling services away from", () => {
    const history = [
      ...deployedFour,
      recordedUpdate(
        7,
        {
          imageTag: D.three,
          activeColor: 'blue',
          colorImageTags: { blue: D.three, green: D.four },
        },
        `rollback to ${D.three} from ${D.four}: automatic rollback: dkg-manager: RollbackErrorRateExceeded: 40 above 10 percent`,
      ),
    ];
    expect(rollbackOfImage(history, D.four)).toEqual({
      image: D.four,
      version: 7,
      at: '2026-11-20T09:49:00.000Z',
      message: expect.stringMatching(/^rollback to /),
      reason: 'automatic rollback: dkg-manager: RollbackErrorRateExceeded: 40 above 10 percent',
    });
    expect(rollbackOfImage(history, D.three)).toBeUndefined();
    expect(rollbackOfImage(deployedFour, D.four)).toBeUndefined();
  });

  it("ops watch's switch back and a canary's abort judge the colour they took traffic from", () => {
    const switchedBack = [
      ...deployedFour,
      recordedUpdate(
        7,
        {
          imageTag: D.four,
          activeColor: 'green',
          colorImageTags: { blue: D.three, green: D.four },
        },
        'switch to green (sha256:444444444444, was blue): release',
      ),
      recordedUpdate(
        8,
        { imageTag: D.four, activeColor: 'blue', colorImageTags: { blue: D.three, green: D.four } },
        'automatic rollback: RollbackLatencyExceeded: 7.2 above 5 seconds',
      ),
    ];
    expect(rollbackOfImage(switchedBack, D.four)?.version).toBe(8);
    const aborted = [
      ...deployedFour,
      recordedUpdate(
        7,
        {
          imageTag: D.four,
          activeColor: 'blue',
          colorImageTags: { blue: D.three, green: D.four },
          canary: { percent: 25 },
        },
        'canary 25 % to green (sha256:444444444444): step 1 of 3',
      ),
      recordedUpdate(
        8,
        { imageTag: D.four, activeColor: 'blue', colorImageTags: { blue: D.three, green: D.four } },
        'canary 0 % to green (sha256:444444444444): canary aborted: no request reached green',
      ),
    ];
    expect(rollbackOfImage(aborted, D.four)).toMatchObject({
      version: 8,
      reason: 'canary aborted: no request reached green',
    });
  });

  it('a later deploy of the same digest, or rollback --again bringing it back, lifts the judgement', () => {
    expect(rollbackOfImage(afterRollback, D.three)?.version).toBe(6);
    const redeployed = [
      ...afterRollback,
      recordedUpdate(
        7,
        {
          imageTag: D.three,
          activeColor: 'green',
          colorImageTags: { blue: D.two, green: D.three },
        },
        `deploy ${D.three}`,
      ),
    ];
    expect(rollbackOfImage(redeployed, D.three)).toBeUndefined();
    const again = [
      ...afterRollback,
      recordedUpdate(
        7,
        { imageTag: D.two, activeColor: 'blue', colorImageTags: { blue: D.three, green: D.two } },
        'rollback to colour blue (sha256:333333333333): by hand',
      ),
    ];
    expect(rollbackOfImage(again, D.three)).toBeUndefined();
    // Reversing a rollback judges nothing: the release it brought back from is not bad.
    expect(rollbackOfImage(again, D.two)).toBeUndefined();
  });

  it('passes over a rollback that failed: its config never ran', () => {
    const failed = [
      ...deployedFour,
      recordedUpdate(
        7,
        { imageTag: D.three, colorImageTags: { blue: D.three, green: D.four } },
        `rollback to ${D.three} from ${D.four}: automatic rollback: dkg-manager`,
        'failed',
      ),
    ];
    expect(rollbackOfImage(failed, D.four)).toBeUndefined();
  });
});
