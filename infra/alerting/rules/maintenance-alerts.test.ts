import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  DEFAULT_MAINTENANCE_WINDOW,
  type MaintenanceWindow,
  promqlDay,
} from '../../maintenance/window.js';
import { alertRules } from './alert-rules.js';
import { expectedAlert } from './expected-alert.js';
import { MAINTENANCE_ANNOUNCEMENT, maintenanceAnnouncement } from './maintenance-alerts.js';
import { isAlertingRule } from './types.js';

const run = promisify(execFile);
const directories: string[] = [];
afterAll(() => Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true }))));

/** promtool's clock starts at 1970-01-01 00:00 UTC, a Thursday (day_of_week 4). */
const THURSDAY = 4;
const MINUTES_PER_DAY = 1440;
const MINUTES_PER_HOUR = 60;

/** Minutes from promtool's start to `hour`:30 of the next `day` (PromQL numbering). */
const halfPast = (promqlWeekday: number, hour: number) =>
  ((promqlWeekday - THURSDAY + 7) % 7) * MINUTES_PER_DAY + hour * MINUTES_PER_HOUR + 30;

/** Runs promtool's unit tests of the announcement alone: `fires` and `silent` eval minutes. */
async function promtoolVerdict(window: MaintenanceWindow, fires: number[], silent: number[]) {
  const rule = maintenanceAnnouncement(window);
  const dir = await mkdtemp(join(tmpdir(), 'aia-maintenance-'));
  directories.push(dir);
  await writeFile(
    join(dir, 'rules.yaml'),
    stringify({ groups: [{ name: 'maintenance', rules: [rule] }] }),
  );
  const at = (minutes: number, firing: boolean) => ({
    eval_time: `${minutes}m`,
    alertname: MAINTENANCE_ANNOUNCEMENT,
    exp_alerts: firing ? [expectedAlert(rule, {})] : [],
  });
  await writeFile(
    join(dir, 'tests.yaml'),
    stringify({
      rule_files: ['rules.yaml'],
      // Hourly evaluation: a week of clock is 168 evaluations, not 10,080.
      evaluation_interval: '1h',
      tests: [
        {
          interval: '1h',
          input_series: [],
          alert_rule_test: [
            ...fires.map((minutes) => at(minutes, true)),
            ...silent.map((minutes) => at(minutes, false)),
          ],
        },
      ],
    }),
  );
  return run('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir });
}

describe('the maintenance announcement (real promtool)', () => {
  it('fires on Saturday 02:00–03:00 UTC for the default Sunday 02:00–04:00 window, and not in the window', async () => {
    const saturday = promqlDay('saturday');
    const sunday = promqlDay('sunday');
    const { stdout } = await promtoolVerdict(
      DEFAULT_MAINTENANCE_WINDOW,
      [halfPast(saturday, 2)],
      [halfPast(saturday, 1), halfPast(saturday, 3), halfPast(sunday, 2), halfPast(THURSDAY, 2)],
    );
    expect(stdout).toContain('SUCCESS');
  });

  it('follows the configured window: Wednesday 22:00 is announced on Tuesday at 22:00', async () => {
    const window: MaintenanceWindow = { day: 'wednesday', startHour: 22, hours: 2 };
    const { stdout } = await promtoolVerdict(
      window,
      [halfPast(promqlDay('tuesday'), 22)],
      [halfPast(promqlDay('saturday'), 2), halfPast(promqlDay('wednesday'), 22)],
    );
    expect(stdout).toContain('SUCCESS');
  });

  it('is refused by promtool when it would fire at the wrong hour', async () => {
    const failing = promtoolVerdict(
      DEFAULT_MAINTENANCE_WINDOW,
      [halfPast(promqlDay('saturday'), 3)],
      [],
    );
    // promtool reports the failed expectation on stderr and exits 1.
    await expect(failing).rejects.toMatchObject({
      stderr: expect.stringContaining(MAINTENANCE_ANNOUNCEMENT),
    });
  });

  it('is generated for every stack at info severity, category scheduled_maintenance', () => {
    const rule = alertRules('production', {
      maintenance: { day: 'monday', startHour: 0, hours: 3 },
    })
      .flatMap((group) => group.rules.filter(isAlertingRule))
      .find((candidate) => candidate.alert === MAINTENANCE_ANNOUNCEMENT);
    expect(rule?.labels).toEqual({
      severity: 'info',
      category: 'scheduled_maintenance',
      window: 'Monday 00:00–03:00 UTC',
    });
    // Announced on Sunday (PromQL day 0) at midnight.
    expect(rule?.expr).toBe('(day_of_week() == 0) and (hour() == 0)');
  });
});
