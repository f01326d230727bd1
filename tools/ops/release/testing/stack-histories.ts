import type { UpdateSummary } from '@pulumi/pulumi/automation/index.js';

/** Digests of four builds, oldest first. */
export const D = {
  one: `sha256:${'1'.repeat(64)}`,
  two: `sha256:${'2'.repeat(64)}`,
  three: `sha256:${'3'.repeat(64)}`,
  four: `sha256:${'4'.repeat(64)}`,
} as const;

interface Snapshot {
  readonly imageTag: string;
  readonly activeColor?: 'blue' | 'green';
  readonly colorImageTags?: { blue?: string; green?: string };
  readonly canary?: { percent: number };
}

/**
 * One update as `stack.history()` returns it (the CLI's `pulumi stack history --json`): the
 * config snapshot holds object keys as JSON text, secrets as `[secret]`, beside the other keys.
 */
export function recordedUpdate(
  version: number,
  snapshot: Snapshot,
  message: string,
  result: UpdateSummary['result'] = 'succeeded',
  kind: UpdateSummary['kind'] = 'update',
): UpdateSummary {
  const startTime = new Date(Date.UTC(2026, 10, 20, 9, version * 7));
  return {
    kind,
    startTime,
    endTime: new Date(startTime.getTime() + 94_000),
    message,
    environment: {
      'exec.kind': 'auto.local',
      'git.head': `a1b2c3d${version}`,
      'git.dirty': 'false',
    },
    config: {
      'aia-platform:project': { value: 'aia-prod-4711', secret: false },
      'aia-platform:region': { value: 'us-central1', secret: false },
      'aia-platform:imageRepository': {
        value: 'us-central1-docker.pkg.dev/aia-prod-4711/aia/services',
        secret: false,
      },
      'aia-platform:imageTag': { value: snapshot.imageTag, secret: false },
      'aia-platform:services': {
        value: JSON.stringify({
          activeColor: snapshot.activeColor ?? 'blue',
          colorImageTags: snapshot.colorImageTags ?? {},
          ...(snapshot.canary ? { canary: snapshot.canary } : {}),
          featureFlags: { GOVERNANCE_ENABLED: true },
        }),
        secret: false,
      },
      'aia-platform:llm.openaiApiKey': { value: '[secret]', secret: true },
    },
    result,
    version,
    resourceChanges: result === 'succeeded' ? { same: 412, update: 3 } : { same: 410, update: 1 },
  };
}

/** Three releases, each deployed to the idle colour and switched to: D3 live on blue. */
export const threeReleases: UpdateSummary[] = [
  recordedUpdate(1, { imageTag: D.one }, 'first deploy'),
  recordedUpdate(
    2,
    { imageTag: D.two, colorImageTags: { blue: D.one, green: D.two } },
    `deploy ${D.two}`,
  ),
  recordedUpdate(
    3,
    { imageTag: D.two, activeColor: 'green', colorImageTags: { blue: D.one, green: D.two } },
    'switch to green',
  ),
  recordedUpdate(
    4,
    { imageTag: D.three, activeColor: 'green', colorImageTags: { blue: D.three, green: D.two } },
    `deploy ${D.three}`,
  ),
  recordedUpdate(
    5,
    { imageTag: D.three, activeColor: 'blue', colorImageTags: { blue: D.three, green: D.two } },
    'switch to blue',
  ),
].reverse();

/** D4's deploy failed half-way, then a preview and a refresh: D3 is still current. */
export const failedDeploy: UpdateSummary[] = [
  ...threeReleases.slice().reverse(),
  recordedUpdate(
    6,
    { imageTag: D.four, colorImageTags: { blue: D.three, green: D.four } },
    `deploy ${D.four}`,
    'failed',
  ),
  recordedUpdate(7, { imageTag: D.four }, 'preview', 'succeeded', 'preview'),
  recordedUpdate(8, { imageTag: D.four }, '', 'succeeded', 'refresh'),
].reverse();

/** After threeReleases, D3 was rolled back to D2: rolling back again must go to D1, not D3. */
export const afterRollback: UpdateSummary[] = [
  ...threeReleases.slice().reverse(),
  recordedUpdate(
    6,
    { imageTag: D.two, activeColor: 'green', colorImageTags: { blue: D.three, green: D.two } },
    `rollback to ${D.two} from ${D.three}`,
  ),
].reverse();

/** A new stack: one update, one image. */
export const firstDeployOnly: UpdateSummary[] = [
  recordedUpdate(1, { imageTag: D.one }, 'first deploy'),
];

/**
 * After threeReleases, `ops deploy` put D4 on the idle colour green (and on the rolling services);
 * the smoke test of green failed and the job stopped: blue still serves D3, green never served.
 */
export const deployedNotSwitched: UpdateSummary[] = [
  ...threeReleases.slice().reverse(),
  recordedUpdate(
    6,
    { imageTag: D.four, activeColor: 'blue', colorImageTags: { blue: D.three, green: D.four } },
    `deploy ${D.four} (idle colour green; live blue keeps sha256:333333333333)`,
  ),
].reverse();

/**
 * threeReleases, then `count` flag changes (each an update of its own, same images): D3 is
 * current and D2, the image before it, lies beyond the first page of the history.
 */
export function busyAfterThreeReleases(count: number): UpdateSummary[] {
  const flags = Array.from({ length: count }, (_, index) =>
    recordedUpdate(
      6 + index,
      { imageTag: D.three, activeColor: 'blue', colorImageTags: { blue: D.three, green: D.two } },
      `flag GOVERNANCE_ENABLED ${index % 2 ? 'false → true' : 'true → false'} by ana@aia.example`,
    ),
  );
  return [...threeReleases.slice().reverse(), ...flags].reverse();
}

/** After threeReleases, D4 deployed to idle green (and the rolling services), then switched to. */
export const switchedToFour: UpdateSummary[] = [
  ...deployedNotSwitched.slice().reverse(),
  recordedUpdate(
    7,
    { imageTag: D.four, activeColor: 'green', colorImageTags: { blue: D.three, green: D.four } },
    'switch to green (sha256:444444444444, was blue): release',
  ),
].reverse();
