import {
  announcementTime,
  describeWindow,
  type MaintenanceWindow,
  promqlDay,
} from '../../maintenance/window.js';
import { alertRule } from './alert.js';
import type { AlertingRule } from './types.js';

/** The announcement's name; its runbook is docs/runbooks/maintenance-window-ahead.md. */
export const MAINTENANCE_ANNOUNCEMENT = 'MaintenanceWindowAhead';

/**
 * The maintenance announcement: an info alert (email, the seed's `scheduled_maintenance`) that
 * fires for an hour a day before the window opens, from the clock alone (`day_of_week()` and
 * `hour()` of the evaluation time, UTC), so it needs no exporter and no calendar.
 */
export function maintenanceAnnouncement(window: MaintenanceWindow): AlertingRule {
  const { day, hour } = announcementTime(window);
  return alertRule({
    name: MAINTENANCE_ANNOUNCEMENT,
    expr: `(day_of_week() == ${promqlDay(day)}) and (hour() == ${hour})`,
    for: '0m',
    severity: 'info',
    category: 'scheduled_maintenance',
    labels: { window: describeWindow(window) },
    summary: `Maintenance window tomorrow, ${describeWindow(window)}.`,
    description: `GKE, Cloud SQL and Memorystore may restart or fail over between ${describeWindow(window)} (GKE may continue for up to 12 hours), and warning and info notifications are muted then. Hold risky changes and follow docs/maintenance.md.`,
  });
}
