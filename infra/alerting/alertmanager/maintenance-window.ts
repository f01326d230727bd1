import {
  alertmanagerMaintenance,
  DEFAULT_MAINTENANCE_WINDOW,
  type Weekday,
} from '../../maintenance/window.js';
import type { TimeInterval } from './types.js';

export type { Weekday };

/** A weekly window, `HH:MM` to `HH:MM` of one day in an IANA time zone. */
export interface MaintenanceWindow {
  readonly weekday: Weekday;
  readonly start: string;
  readonly end: string;
  readonly location: string;
}

/** The platform's default window (infra/maintenance): Sunday 02:00–04:00 UTC. */
export const MAINTENANCE_WINDOW: MaintenanceWindow = alertmanagerMaintenance(
  DEFAULT_MAINTENANCE_WINDOW,
);

/** Name of the time interval that mutes warning and info notifications. */
export const MAINTENANCE_INTERVAL = 'maintenance-window';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** The `time_intervals` entry; throws, saying why, on a window Alertmanager would refuse. */
export function maintenanceInterval(window: MaintenanceWindow): TimeInterval {
  const { weekday, start, end, location } = window;
  if (!CLOCK.test(start) || !CLOCK.test(end) || start >= end) {
    throw new Error(
      `maintenance window ${start}–${end} is invalid: expected HH:MM times within one day, start before end`,
    );
  }
  return {
    name: MAINTENANCE_INTERVAL,
    time_intervals: [
      { weekdays: [weekday], times: [{ start_time: start, end_time: end }], location },
    ],
  };
}
