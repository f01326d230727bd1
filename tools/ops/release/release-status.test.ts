import { describe, expect, it } from 'vitest';
import { releaseConfigOf } from './release-config.js';
import { releaseStatus, releaseStatusTable } from './release-status.js';
import { D, failedDeploy, recordedUpdate, threeReleases } from './testing/stack-histories.js';

const latestConfig = (history: typeof threeReleases) =>
  releaseConfigOf(
    [...history].sort((a, b) => b.version - a.version).find((u) => u.result === 'succeeded')
      ?.config ?? {},
  );

describe('`ops status` on recorded stack data', () => {
  it('shows which colour is live, what the idle one runs, and what every rolling service runs', () => {
    const status = releaseStatus({
      stack: 'production',
      config: latestConfig(threeReleases),
      history: threeReleases,
      namespace: 'aia',
    });
    const table = releaseStatusTable(status);
    expect(table).toContain('stack production (namespace aia): imageTag sha256:333333333333');
    expect(table).toContain('live colour blue; idle green runs sha256:222222222222');
    expect(table).toMatch(/aia-api\s+blue\s+live\s+100 %\s+sha256:333333333333\s+3–20/);
    expect(table).toMatch(/aia-api\s+green\s+idle\s+0 %\s+sha256:222222222222\s+3–20/);
    expect(table).toMatch(/economic-governor\s+—\s+rolling\s+100 %\s+sha256:333333333333/);
    // The newest update first.
    expect(table).toMatch(
      /VERSION\s+STARTED\s+KIND\s+RESULT\s+MESSAGE\n5\s+2026-11-20 09:35\s+update\s+succeeded\s+switch to blue/,
    );
  });

  it('shows a canary: the share each colour gets and the pods it is held at', () => {
    const history = [
      recordedUpdate(
        6,
        {
          imageTag: D.four,
          colorImageTags: { blue: D.three, green: D.four },
          canary: { percent: 25 },
        },
        `canary 25 % to green`,
      ),
      ...threeReleases,
    ];
    const status = releaseStatus({ stack: 'production', config: latestConfig(history), history });
    expect(status.canaryPercent).toBe(25);
    expect(status.workloads.filter((w) => w.service === 'aia-api')).toEqual([
      expect.objectContaining({
        colour: 'blue',
        role: 'live',
        trafficPercent: 75,
        replicas: { min: 6, max: 6 },
      }),
      expect.objectContaining({
        colour: 'green',
        role: 'canary',
        trafficPercent: 25,
        replicas: { min: 2, max: 2 },
      }),
    ]);
    expect(releaseStatusTable(status)).toContain('CANARY: 25 % asked of green');
  });

  it('lists failed updates as such, and serialises for scripts', () => {
    const status = releaseStatus({
      stack: 'production',
      config: latestConfig(failedDeploy),
      history: failedDeploy,
      updates: 3,
    });
    expect(status.lastUpdates.map((u) => [u.version, u.kind, u.result])).toEqual([
      [8, 'refresh', 'succeeded'],
      [7, 'preview', 'succeeded'],
      [6, 'update', 'failed'],
    ]);
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
  });
});
