import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Teardown } from '../../bench/ledger/teardown.js';
import { formatRestoreReport } from './report.js';
import { drillWorkDir, restoreAndCheck } from './restore-drill.js';
import { runSource, type SourceRun } from './source-run.js';
import { archivedSegments, segmentPath } from './wal-archive.js';
import { segmentBounds } from './wal-position.js';

describe('the restore drill on real PostgreSQL', () => {
  const teardown = new Teardown();
  let workDir: string;
  let source: SourceRun;

  beforeAll(async () => {
    workDir = await drillWorkDir();
    teardown.add('remove the work directory', () => rm(workDir, { recursive: true, force: true }));
    source = await runSource(
      workDir,
      {
        clients: 4,
        accounts: 40,
        archiveTimeoutSeconds: 1,
        beforeBackupMs: 500,
        beforeTargetMs: 2500,
        afterTargetMs: 1000,
      },
      teardown,
      () => {},
    );
  }, 120_000);
  afterAll(() => teardown.run(), 60_000);

  it('restores the ledger to the target time with every check passing', async () => {
    const report = await restoreAndCheck(source, {
      dataDir: join(workDir, 'restored'),
      teardown,
    });
    // CI's log shows the measured RTO and RPO with every verdict.
    process.stdout.write(formatRestoreReport(report));
    const failed = report.checks.filter((check) => !check.passed);
    expect(failed).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.counts.acknowledgedBefore).toBeGreaterThan(0);
    expect(report.counts.acknowledgedAfter).toBeGreaterThan(0);
    expect(report.counts.restoredTransfers).toBeLessThan(report.counts.sourceTransfers);
    expect(report.rpoUs).toBeGreaterThanOrEqual(0n);
    expect(report.rtoUs).toBeGreaterThan(report.acceptingUs ?? 0n);
  }, 60_000);

  it('fails with PostgreSQL’s reason when the target lies before the base backup is consistent', async () => {
    const report = await restoreAndCheck(source, {
      targetUs: source.backup.startedUs,
      dataDir: join(workDir, 'too-early'),
      teardown,
    });
    expect(report.passed).toBe(false);
    expect(report.restoreFailure).toMatch(/before consistent recovery point/);
    expect(report.rtoUs).toBeUndefined();
  }, 60_000);

  it('fails, naming the unreached target, when a WAL segment it needs is missing', async () => {
    const needed = (await archivedSegments(source.archive)).find((name) => {
      const { start, end } = segmentBounds(name, source.segmentBytes);
      return start <= source.target.lsn && source.target.lsn < end;
    });
    expect(needed, 'the segment holding the target is archived').toBeDefined();
    // After the backup's own range, so only the way to the target is cut, not the backup.
    expect(segmentBounds(needed as string, source.segmentBytes).start).toBeGreaterThan(
      source.backup.endLsn,
    );
    await rm(segmentPath(source.archive, needed as string));

    const report = await restoreAndCheck(source, {
      dataDir: join(workDir, 'gap'),
      teardown,
    });
    expect(report.passed).toBe(false);
    expect(report.restoreFailure).toMatch(/recovery ended before configured recovery target/);
    expect(report.checks).toEqual([
      expect.objectContaining({ name: 'the restore reached its target', passed: false }),
    ]);
  }, 60_000);
});
