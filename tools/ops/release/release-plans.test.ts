import { describe, expect, it } from 'vitest';
import { parseDigest } from './digest.js';
import { imageOf, type ReleaseConfig } from './release-config.js';
import { colourRollbackPlan, deployPlan, digestRollbackPlan, switchPlan } from './release-plans.js';
import { fakeReleaseStack } from './testing/fake-release-stack.js';
import { D } from './testing/stack-histories.js';

const blueRunsOne: ReleaseConfig = {
  imageTag: D.one,
  activeColor: 'blue',
  colorImageTags: {},
  featureFlags: {},
};

async function applied(config: ReleaseConfig, plan: ReturnType<typeof deployPlan>) {
  const stack = fakeReleaseStack('production', {
    imageTag: config.imageTag,
    services: { activeColor: config.activeColor, colorImageTags: { ...config.colorImageTags } },
  });
  await stack.update(plan.changes, plan.message);
  return stack.config();
}

describe('release plans', () => {
  it('deploy puts the digest on the idle colour and the rolling services, pinning the live colour to what it ran', async () => {
    const plan = deployPlan(blueRunsOne, D.two);
    const after = await applied(blueRunsOne, plan);
    expect(after.imageTag).toBe(D.two);
    expect(imageOf(after, 'green')).toBe(D.two);
    // Blue ran imageTag (no tag of its own): it keeps D1 although imageTag moved.
    expect(imageOf(after, 'blue')).toBe(D.one);
    expect(after.activeColor).toBe('blue');
    expect(plan.message).toMatch(
      new RegExp(`^deploy ${D.two} \\(idle colour green; live blue keeps sha256:111111111111\\)`),
    );
  });

  it('switch makes the idle colour live; a colour rollback makes the other live again', async () => {
    const deployed = await applied(blueRunsOne, deployPlan(blueRunsOne, D.two));
    const switched = await applied(deployed, switchPlan(deployed));
    expect(switched.activeColor).toBe('green');
    const back = await applied(switched, colourRollbackPlan(switched, 'p95 too high'));
    expect(back.activeColor).toBe('blue');
    expect(colourRollbackPlan(switched, 'p95 too high').message).toBe(
      'rollback to colour blue (sha256:111111111111): p95 too high',
    );
  });

  it('a digest rollback switches to the idle colour when it runs the digest already', async () => {
    const live: ReleaseConfig = {
      imageTag: D.three,
      activeColor: 'blue',
      colorImageTags: { blue: D.three, green: D.two },
      featureFlags: {},
    };
    const plan = digestRollbackPlan(live, D.two);
    expect(plan.changes).toEqual([
      { path: 'imageTag', value: D.two },
      { path: 'services.activeColor', value: 'green' },
    ]);
    expect(plan.message).toBe(`rollback to ${D.two} from ${D.three}`);
  });

  it('a digest rollback deploys the digest to the idle colour and switches, when neither runs it', async () => {
    const live: ReleaseConfig = {
      imageTag: D.three,
      activeColor: 'blue',
      colorImageTags: { blue: D.three, green: D.two },
      featureFlags: {},
    };
    const after = await applied(live, digestRollbackPlan(live, D.one));
    expect(after).toMatchObject({ imageTag: D.one, activeColor: 'green' });
    expect(imageOf(after, 'green')).toBe(D.one);
    expect(imageOf(after, 'blue')).toBe(D.three);
  });

  it('a digest rollback leaves the blue-green service alone when its live colour already runs the digest', () => {
    const afterColourRollback: ReleaseConfig = {
      imageTag: D.three,
      activeColor: 'green',
      colorImageTags: { blue: D.three, green: D.two },
      featureFlags: {},
    };
    expect(digestRollbackPlan(afterColourRollback, D.two).changes).toEqual([
      { path: 'imageTag', value: D.two },
    ]);
  });

  it('refuses a malformed digest naming the flag', () => {
    expect(parseDigest(D.one)).toBe(D.one);
    for (const bad of ['1.4.2', 'sha256:abc', `sha256:${'A'.repeat(64)}`, undefined]) {
      expect(() => parseDigest(bad)).toThrow(
        /^--digest: expected sha256:<64 lower-case hex digits>/,
      );
    }
  });
});
