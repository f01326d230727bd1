import { backupStartTime } from './settings.js';

/**
 * When the daily SQL exports run (exports.ts): one database every EXPORT_SPACING_MINUTES, all
 * done, with a margin, before Cloud SQL's automated backup window opens, and so before the weekly
 * maintenance window, which opens two hours after the backup's start time (`backupStartTime`).
 * Cloud SQL runs one operation per instance at a time: an export still running when the backup
 * or the maintenance begins delays it or is refused.
 */

/** Minutes between two databases' exports: Cloud SQL runs one operation per instance at a time. */
export const EXPORT_SPACING_MINUTES = 15;
/** Cloud SQL starts the automated backup at some time in the 4 hours from its start time. */
export const BACKUP_WINDOW_HOURS = 4;
/** Kept free after the last export's slot, for an export that runs long. */
export const EXPORT_MARGIN_MINUTES = 60;

const DAY_MINUTES = 24 * 60;
const ofDay = (minutes: number) => ((minutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
const clock = (minutes: number) => {
  const time = ofDay(minutes);
  return `${String(Math.floor(time / 60)).padStart(2, '0')}:${String(time % 60).padStart(2, '0')}`;
};
/** Whether two daily intervals `[start, start + length)` share a minute (across midnight too). */
const overlap = (a: number, aLength: number, b: number, bLength: number) =>
  ofDay(b - a) < aLength || ofDay(a - b) < bLength;

const backupStartMinutes = (maintenanceHour: number) =>
  Number.parseInt(backupStartTime(maintenanceHour), 10) * 60;

/** Minutes from the first export's start to the end of the margin after the last one's slot. */
const runMinutes = (databases: number) =>
  databases * EXPORT_SPACING_MINUTES + EXPORT_MARGIN_MINUTES;

/**
 * The default `cloudSql.exports.startHour`: the latest whole hour from which every export, and the
 * margin after the last, ends before the backup window. Six databases and the Sunday 02:00
 * window: 21:00 (backup at 00:00).
 */
export function defaultExportStartHour(maintenanceHour: number, databases: number): number {
  const hours = Math.ceil(runMinutes(databases) / 60);
  return ofDay(backupStartMinutes(maintenanceHour) - hours * 60) / 60;
}

export interface ExportTiming {
  readonly startHour: number;
  readonly databases: number;
  /** The platform's weekly window (`aia-platform:maintenance`). */
  readonly maintenance: {
    readonly day: string;
    readonly startHour: number;
    readonly hours: number;
  };
}

/**
 * Why the exports would run into the backup window or the maintenance window: one sentence per
 * conflict, empty when there is none. The exports run daily, so every day's run is checked
 * against the maintenance window's hours.
 */
export function exportWindowProblems({
  startHour,
  databases,
  maintenance,
}: ExportTiming): string[] {
  const start = startHour * 60;
  const length = runMinutes(databases);
  const run = `the ${databases} exports run from ${clock(start)} until ${clock(start + databases * EXPORT_SPACING_MINUTES)} (plus ${EXPORT_MARGIN_MINUTES} minutes' margin for a long one, to ${clock(start + length)})`;
  const fix = `start them at ${defaultExportStartHour(maintenance.startHour, databases)} (the default) or earlier`;
  const problems: string[] = [];
  const backup = backupStartMinutes(maintenance.startHour);
  if (overlap(start, length, backup, BACKUP_WINDOW_HOURS * 60)) {
    problems.push(
      `${run}, into Cloud SQL's backup window ${clock(backup)}–${clock(backup + BACKUP_WINDOW_HOURS * 60)} UTC (the backup starts at some time in it; one operation at a time): ${fix}`,
    );
  }
  const window = maintenance.startHour * 60;
  if (overlap(start, length, window, maintenance.hours * 60)) {
    problems.push(
      `${run}, into the ${maintenance.day} maintenance window ${clock(window)}–${clock(window + maintenance.hours * 60)} UTC: ${fix}`,
    );
  }
  return problems;
}
