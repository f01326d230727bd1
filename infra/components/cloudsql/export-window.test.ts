import { describe, expect, it } from 'vitest';
import {
  BACKUP_WINDOW_HOURS,
  defaultExportStartHour,
  EXPORT_MARGIN_MINUTES,
  EXPORT_SPACING_MINUTES,
  exportWindowProblems,
} from './export-window.js';
import { exportSchedule } from './exports.js';
import { backupStartTime } from './settings.js';

const SUNDAY_TWO = { day: 'sunday', startHour: 2, hours: 2 };

/** Minute of the day each export starts, read back from the jobs' cron schedules. */
const startsOf = (startHour: number, databases: number) =>
  Array.from({ length: databases }, (_, index) => {
    const [minute, hour] = exportSchedule(startHour, index).split(' ').map(Number);
    return (hour ?? 0) * 60 + (minute ?? 0);
  });

describe('when the daily SQL exports run', () => {
  it('by default, every export and its margin end before the backup window and the maintenance window', () => {
    const startHour = defaultExportStartHour(SUNDAY_TWO.startHour, 6);
    expect(startHour).toBe(21);
    expect(backupStartTime(SUNDAY_TWO.startHour)).toBe('00:00');
    const starts = startsOf(startHour, 6);
    expect(starts).toEqual([1260, 1275, 1290, 1305, 1320, 1335]);
    // The last slot and the margin end at 23:30, before the backup window opens at 00:00
    // (24:00 here), which itself ends at the maintenance window's close.
    const end = (starts.at(-1) ?? 0) + EXPORT_SPACING_MINUTES + EXPORT_MARGIN_MINUTES;
    expect(end).toBeLessThanOrEqual(24 * 60);
    expect(exportWindowProblems({ startHour, databases: 6, maintenance: SUNDAY_TWO })).toEqual([]);
  });

  it('refuses the old 01:00 start: the last exports land in the backup and maintenance windows', () => {
    expect(exportWindowProblems({ startHour: 1, databases: 6, maintenance: SUNDAY_TWO })).toEqual([
      "the 6 exports run from 01:00 until 02:30 (plus 60 minutes' margin for a long one, to 03:30), into Cloud SQL's backup window 00:00–04:00 UTC (the backup starts at some time in it; one operation at a time): start them at 21 (the default) or earlier",
      "the 6 exports run from 01:00 until 02:30 (plus 60 minutes' margin for a long one, to 03:30), into the sunday maintenance window 02:00–04:00 UTC: start them at 21 (the default) or earlier",
    ]);
  });

  it('finds a run that crosses midnight into the backup window', () => {
    // 22:00 + 6 × 15 min + 60 min = 00:30: into the backup window opening at 00:00.
    expect(
      exportWindowProblems({ startHour: 22, databases: 6, maintenance: SUNDAY_TWO }),
    ).toHaveLength(1);
    expect(exportWindowProblems({ startHour: 20, databases: 6, maintenance: SUNDAY_TWO })).toEqual(
      [],
    );
  });

  it('follows the maintenance window and the number of databases', () => {
    // Window at 10:00: backup at 08:00; ten databases need 150 + 60 minutes, so 04:00.
    expect(defaultExportStartHour(10, 10)).toBe(4);
    expect(defaultExportStartHour(0, 6)).toBe(19);
    for (const hour of [0, 2, 5, 13, 23]) {
      for (const databases of [1, 6, 12]) {
        expect(
          exportWindowProblems({
            startHour: defaultExportStartHour(hour, databases),
            databases,
            maintenance: { day: 'sunday', startHour: hour, hours: BACKUP_WINDOW_HOURS },
          }),
          `${hour}:00, ${databases} databases`,
        ).toEqual([]);
      }
    }
  });
});
