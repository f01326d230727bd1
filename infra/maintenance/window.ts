/**
 * The platform's one weekly maintenance window (stack key `aia-platform:maintenance`), and what
 * each system that honours it is given: GKE, Cloud SQL, Memorystore, Alertmanager and Cloud
 * Monitoring's warning alerts. Declared once, so the five cannot drift apart; the policy
 * `platform-maintenance-window` checks the plan.
 */

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly window: `hours` from `startHour`:00 UTC on `day`, within that day. */
export interface MaintenanceWindow {
  readonly day: Weekday;
  readonly startHour: number;
  readonly hours: number;
}

/** The seed's window: Sunday 02:00–04:00 UTC. */
export const DEFAULT_MAINTENANCE_WINDOW: MaintenanceWindow = {
  day: 'sunday',
  startHour: 2,
  hours: 2,
};

const HOURS_PER_DAY = 24;
const DAYS_PER_WEEK = 7;

/**
 * GKE accepts a recurring window only if it leaves at least 48 hours of maintenance in any
 * rolling 32 days, counting stretches of 4 hours or more. 32 days always hold four whole weekly
 * windows, so a weekly window needs 12 hours (48 / 4).
 */
export const GKE_MINIMUM_WEEKLY_HOURS = 12;

/** How long before the window opens its announcement goes out (an info alert, by email). */
export const ANNOUNCEMENT_LEAD_HOURS = 24;

const two = (n: number) => String(n).padStart(2, '0');

/** `HH:00` of an hour of the day (24 → `24:00`, Alertmanager's end of day). */
const clock = (hour: number) => `${two(hour)}:00`;

/** Problems with a window, as sentences; empty when every system can honour it. */
export function maintenanceWindowProblems(window: MaintenanceWindow): string[] {
  const problems: string[] = [];
  if (!WEEKDAYS.includes(window.day)) {
    problems.push(`day is "${window.day}": expected one of ${WEEKDAYS.join(', ')}`);
  }
  if (!Number.isInteger(window.startHour) || window.startHour < 0 || window.startHour > 23) {
    problems.push(`startHour is ${window.startHour}: expected a whole hour from 0 to 23 UTC`);
  }
  if (
    !Number.isInteger(window.hours) ||
    window.hours < 1 ||
    window.startHour + window.hours > HOURS_PER_DAY
  ) {
    problems.push(
      `hours is ${window.hours}: expected at least 1, ending by midnight (startHour + hours ≤ 24), since Alertmanager's time interval stays within one day`,
    );
  }
  return problems;
}

/** Day of the week as Cloud SQL numbers it: 1 (Monday) to 7 (Sunday). */
export const cloudSqlDay = (day: Weekday): number => WEEKDAYS.indexOf(day) + 1;

/** Day of the week as PromQL's `day_of_week()` numbers it: 0 (Sunday) to 6 (Saturday). */
export const promqlDay = (day: Weekday): number => (WEEKDAYS.indexOf(day) + 1) % DAYS_PER_WEEK;

/** Cloud SQL's one-hour window opens when the platform's does. */
export const cloudSqlMaintenance = (window: MaintenanceWindow) => ({
  day: cloudSqlDay(window.day),
  hour: window.startHour,
});

/** Memorystore's one-hour window opens when the platform's does. */
export const memorystoreMaintenance = (window: MaintenanceWindow) => ({
  day: window.day.toUpperCase() as Uppercase<Weekday>,
  hour: window.startHour,
});

/** 2025-01-05 was a Sunday: the recurring window's first occurrence is in that week. */
const FIRST_SUNDAY = Date.UTC(2025, 0, 5);
const HOUR_MS = 3_600_000;
const RRULE_DAY: Readonly<Record<Weekday, string>> = {
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
  sunday: 'SU',
};

/**
 * GKE's recurring window: opens with the platform's, on the same day, and lasts the window's
 * hours or {@link GKE_MINIMUM_WEEKLY_HOURS}, whichever is longer (GKE refuses less). Surge
 * upgrades (one node more, none unavailable) and disruption budgets keep the services up in the
 * extra hours, which Alertmanager does not mute.
 */
export function gkeRecurringWindow(window: MaintenanceWindow) {
  const daysAfterSunday = (WEEKDAYS.indexOf(window.day) + 1) % DAYS_PER_WEEK;
  const start = FIRST_SUNDAY + (daysAfterSunday * HOURS_PER_DAY + window.startHour) * HOUR_MS;
  const hours = Math.max(window.hours, GKE_MINIMUM_WEEKLY_HOURS);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return {
    startTime: iso(start),
    endTime: iso(start + hours * HOUR_MS),
    recurrence: `FREQ=WEEKLY;BYDAY=${RRULE_DAY[window.day]}`,
  };
}

/** Alertmanager's time interval: the window itself, UTC. */
export const alertmanagerMaintenance = (window: MaintenanceWindow) => ({
  weekday: window.day,
  start: clock(window.startHour),
  end: clock(window.startHour + window.hours),
  location: 'UTC',
});

/**
 * The window as a PromQL expression over the evaluation time alone: one label-less sample while
 * the window is open, none outside it. Cloud Monitoring's warning conditions end in
 * `unless on() (<this>)` (`infra/components/cloud-monitoring-alerts`), so they cannot fire in the
 * window, as Alertmanager's warning routes mute it. Each comparison yields a label-less vector
 * (or nothing), so `and` matches them on the empty label set.
 */
export const promqlMaintenanceWindow = (window: MaintenanceWindow) =>
  `(day_of_week() == ${promqlDay(window.day)}) and (hour() >= ${window.startHour}) and (hour() < ${window.startHour + window.hours})`;

/** When the announcement fires: the day before, from the hour the window opens, for an hour. */
export function announcementTime(window: MaintenanceWindow) {
  const previous = WEEKDAYS[(WEEKDAYS.indexOf(window.day) + DAYS_PER_WEEK - 1) % DAYS_PER_WEEK];
  return { day: previous as Weekday, hour: window.startHour };
}

/** `Sunday 02:00–04:00 UTC`, for people. */
export const describeWindow = (window: MaintenanceWindow) =>
  `${window.day[0]?.toUpperCase()}${window.day.slice(1)} ${clock(window.startHour)}–${clock(window.startHour + window.hours)} UTC`;
