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

/** A digest rollback's plan, where every image but `neverServed` served aia-api's users. */
function rollbackTo(config: ReleaseConfig, digest: string, neverServed: string[] = []) {
  const plan = digestRollbackPlan(config, digest, (image) => !neverServed.includes(image));
  if ('refused' in plan) throw new Error(plan.refused);
  return plan;
}

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
    const plan = rollbackTo(live, D.two);
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
    const after = await applied(live, rollbackTo(live, D.one));
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
    expect(rollbackTo(afterColourRollback, D.two).changes).toEqual([
      { path: 'imageTag', value: D.two },
    ]);
  });

  it('a digest rollback leaves aia-api on its live colour when that runs neither image (a switch never made), never putting it live on one it never served', async () => {
    // D2 deployed but never switched to, then D3 deployed: blue still serves D1, green runs D3.
    const abandoned: ReleaseConfig = {
      imageTag: D.three,
      activeColor: 'blue',
      colorImageTags: { blue: D.one, green: D.three },
      featureFlags: {},
    };
    const plan = rollbackTo(abandoned, D.two, [D.two, D.three]);
    expect(plan.changes).toEqual([{ path: 'imageTag', value: D.two }]);
    expect(plan.message).toBe(
      `rollback to ${D.two} from ${D.three} (aia-api stays on blue, sha256:111111111111, which it serves: it never went live on sha256:333333333333)`,
    );
    const after = await applied(abandoned, plan);
    expect(after.activeColor).toBe('blue');
    expect(imageOf(after, 'blue')).toBe(D.one);
  });

  it('a digest rollback sends aia-api back to the release it served before when it never served the digest', async () => {
    // D2 never went live on aia-api; blue (idle) runs D1, which did.
    const live: ReleaseConfig = {
      imageTag: D.three,
      activeColor: 'green',
      colorImageTags: { blue: D.one, green: D.three },
      featureFlags: {},
    };
    const after = await applied(live, rollbackTo(live, D.two, [D.two]));
    expect(after).toMatchObject({ imageTag: D.two, activeColor: 'blue' });
    expect(imageOf(after, 'blue')).toBe(D.one);
  });

  it('a digest rollback is refused when aia-api has no image it served to go back to', () => {
    const live: ReleaseConfig = {
      imageTag: D.three,
      activeColor: 'green',
      colorImageTags: { blue: D.four, green: D.three },
      featureFlags: {},
    };
    expect(digestRollbackPlan(live, D.two, (image) => image === D.three)).toEqual({
      refused: expect.stringMatching(
        /^aia-api's live colour green runs sha256:3{64}, and neither sha256:2{64} nor its idle colour's sha256:4{64} ever served its users/,
      ),
    });
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
