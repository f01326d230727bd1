import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { parse } from 'yaml';
import { ALERTMANAGER_CONFIG_SECRET } from '../../../infra/components/alerting/alertmanager-secrets.js';
import { GKE_MINIMUM_WEEKLY_HOURS, WEEKDAYS } from '../../../infra/maintenance/window.js';

/** One system's weekly window as the plan declares it: weekday (lower case) and opening hour UTC. */
interface DeclaredWindow {
  readonly system: string;
  readonly urn: string;
  readonly day: string;
  readonly startHour: number;
}

const HOUR_MS = 3_600_000;
const RRULE_DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const UTC_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MAINTENANCE_INTERVAL = 'maintenance-window';

type Report = (message: string, urn?: string) => void;

function gkeWindow({ urn, name, props }: PolicyResource, report: Report): DeclaredWindow[] {
  const window = (props as { maintenancePolicy?: { recurringWindow?: Record<string, string> } })
    .maintenancePolicy?.recurringWindow;
  const start = Date.parse(window?.startTime ?? '');
  const end = Date.parse(window?.endTime ?? '');
  if (!window || Number.isNaN(start) || Number.isNaN(end)) {
    report(
      `GKE cluster ${name} has no recurring maintenance window: set maintenancePolicy.recurringWindow from aia-platform:maintenance.`,
      urn,
    );
    return [];
  }
  const opens = new Date(start);
  const day = UTC_DAYS[opens.getUTCDay()] ?? '';
  const hours = (end - start) / HOUR_MS;
  if (window.recurrence !== `FREQ=WEEKLY;BYDAY=${RRULE_DAYS[opens.getUTCDay()]}`) {
    report(
      `GKE cluster ${name} recurs "${window.recurrence}", not weekly on the ${day} its window opens: use FREQ=WEEKLY;BYDAY=${RRULE_DAYS[opens.getUTCDay()]}.`,
      urn,
    );
  }
  if (hours < GKE_MINIMUM_WEEKLY_HOURS) {
    report(
      `GKE cluster ${name} has a ${hours} h weekly maintenance window: GKE needs 48 h per 32 days, ${GKE_MINIMUM_WEEKLY_HOURS} h a week.`,
      urn,
    );
  }
  return [{ system: `GKE cluster ${name}`, urn, day, startHour: opens.getUTCHours() }];
}

function cloudSqlWindow({ urn, name, props }: PolicyResource): DeclaredWindow[] {
  const instance = props as {
    masterInstanceName?: string;
    settings?: { maintenanceWindow?: { day?: number; hour?: number } };
  };
  // Replicas follow their primary's maintenance.
  if (instance.masterInstanceName) return [];
  const window = instance.settings?.maintenanceWindow;
  return [
    {
      system: `Cloud SQL instance ${name}`,
      urn,
      day: WEEKDAYS[(window?.day ?? 0) - 1] ?? 'any day',
      startHour: window?.hour ?? -1,
    },
  ];
}

function memorystoreWindow({ urn, name, props }: PolicyResource): DeclaredWindow[] {
  const window = (
    props as {
      maintenancePolicy?: {
        weeklyMaintenanceWindows?: { day?: string; startTime?: { hours?: number } }[];
      };
    }
  ).maintenancePolicy?.weeklyMaintenanceWindows?.[0];
  return [
    {
      system: `Memorystore instance ${name}`,
      urn,
      day: window?.day?.toLowerCase() ?? 'any day',
      startHour: window?.startTime?.hours ?? -1,
    },
  ];
}

/** The muting interval of the Alertmanager configuration, when its text is in the plan. */
function alertmanagerWindow({ urn, props }: PolicyResource): DeclaredWindow[] {
  const secret = props as { metadata?: { name?: string }; stringData?: Record<string, unknown> };
  const text = secret.stringData?.['alertmanager.yaml'];
  if (secret.metadata?.name !== ALERTMANAGER_CONFIG_SECRET || typeof text !== 'string') return [];
  let config: unknown;
  try {
    config = parse(text);
  } catch {
    // A redacted plan holds a placeholder, not the configuration: nothing to compare.
    return [];
  }
  const interval = (
    config as {
      time_intervals?: {
        name?: string;
        time_intervals?: { weekdays?: string[]; times?: { start_time?: string }[] }[];
      }[];
    } | null
  )?.time_intervals?.find((candidate) => candidate.name === MAINTENANCE_INTERVAL)
    ?.time_intervals?.[0];
  if (!interval) return [];
  return [
    {
      system: 'Alertmanager',
      urn,
      day: interval.weekdays?.[0] ?? 'any day',
      startHour: Number.parseInt(interval.times?.[0]?.start_time ?? '', 10),
    },
  ];
}

/** How a warning's PromQL condition ends when it carries the window (`promqlMaintenanceWindow`). */
const PROMQL_WINDOW =
  /unless on\(\) \(\(day_of_week\(\) == (\d)\) and \(hour\(\) >= (\d+)\) and \(hour\(\) < \d+\)\)$/;

/**
 * The window a Cloud Monitoring warning policy is muted in (its PromQL condition ends in
 * `unless on()` the window); a warning without one is reported. Critical policies page in it.
 */
function cloudMonitoringWindow(
  { urn, name, props }: PolicyResource,
  report: Report,
): DeclaredWindow[] {
  const policy = props as {
    severity?: string;
    conditions?: { conditionPrometheusQueryLanguage?: { query?: string } }[];
  };
  if (policy.severity !== 'WARNING') return [];
  return (policy.conditions ?? []).flatMap((condition): DeclaredWindow[] => {
    const match = PROMQL_WINDOW.exec(condition.conditionPrometheusQueryLanguage?.query ?? '');
    if (!match) {
      report(
        `Cloud Monitoring warning policy ${name} is not muted in the maintenance window: give it a PromQL condition ending in "unless on() (<window>)" (cloudAlertQuery, infra/components/cloud-monitoring-alerts).`,
        urn,
      );
      return [];
    }
    return [
      {
        system: `Cloud Monitoring warning policy ${name}`,
        urn,
        day: UTC_DAYS[Number(match[1])] ?? 'any day',
        startHour: Number(match[2]),
      },
    ];
  });
}

const describe = ({ day, startHour }: DeclaredWindow) =>
  `${day} ${String(startHour).padStart(2, '0')}:00 UTC`;

/**
 * GKE, Cloud SQL, Memorystore, Alertmanager's muting and Cloud Monitoring's warning policies all
 * open their weekly maintenance window on the same day at the same hour (stack key
 * `aia-platform:maintenance`, docs/maintenance.md), every Cloud Monitoring warning carries it, and
 * GKE's lasts at least 12 hours (GKE's 48 hours per 32 days). Otherwise a failover lands outside
 * the announced, muted window and pages at night, or trips a warning nobody needs.
 */
export const maintenanceWindowAgrees: StackValidationPolicy = {
  name: 'platform-maintenance-window',
  description:
    "GKE, Cloud SQL, Memorystore, Alertmanager and Cloud Monitoring's warnings share the one weekly maintenance window of aia-platform:maintenance.",
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const windows = resources.flatMap((resource): DeclaredWindow[] => {
      switch (resource.type) {
        case 'gcp:container/cluster:Cluster':
          return gkeWindow(resource, report);
        case 'gcp:sql/databaseInstance:DatabaseInstance':
          return cloudSqlWindow(resource);
        case 'gcp:redis/instance:Instance':
          return memorystoreWindow(resource);
        case 'kubernetes:core/v1:Secret':
          return alertmanagerWindow(resource);
        case 'gcp:monitoring/alertPolicy:AlertPolicy':
          return cloudMonitoringWindow(resource, report);
        default:
          return [];
      }
    });
    const reference = windows.find((window) => window.system === 'Alertmanager') ?? windows[0];
    if (!reference) return;
    for (const window of windows) {
      if (window.day !== reference.day || window.startHour !== reference.startHour) {
        report(
          `${window.system} opens its maintenance window ${describe(window)}, ${reference.system} ${describe(reference)}: derive both from aia-platform:maintenance (infra/maintenance/window.ts).`,
          window.urn,
        );
      }
    }
  },
};
