import type * as pagerduty from '@pulumi/pagerduty';
import type * as pulumi from '@pulumi/pulumi';

/** One rotation of a schedule. */
export interface ScheduleLayerSettings {
  readonly name: string;
  /** When the layer takes effect, ISO 8601 with offset (`2025-01-06T09:00:00Z`). */
  readonly start: string;
  /** Length of one person's turn: 604800 for weekly. */
  readonly rotationTurnLengthSeconds: number;
  /** PagerDuty user ids (`PXXXXXX`), in rotation order. */
  readonly users: readonly string[];
  /** Where the rotation's first turn starts. Default: `start`. */
  readonly rotationVirtualStart?: string;
}

export interface ScheduleSettings {
  /** IANA time zone the layers' times are read in. */
  readonly timeZone: string;
  readonly layers: readonly ScheduleLayerSettings[];
}

export interface AreaSettings {
  readonly description: string;
  /** The schedule paged first, a key of `schedules`. Default: `escalation.schedule`. */
  readonly schedule?: string;
}

/** Paged when the on-call has not acknowledged: PagerDuty users, or a schedule by key. */
export type EscalationFallback =
  | { readonly users: readonly string[] }
  | { readonly schedule: string };

export interface EscalationSettings {
  /** Minutes before an unacknowledged incident goes to the next rule. */
  readonly ruleDelayMinutes: number;
  /** The schedule paged first, a key of `schedules`. */
  readonly schedule: string;
  readonly fallback: EscalationFallback;
  /** How often the whole policy repeats when nobody acknowledges. Default 2. */
  readonly numLoops?: number;
}

/** Weekly support hours: incidents during them are always high urgency. */
export interface SupportHours {
  readonly timeZone: string;
  /** ISO weekdays, 1 (Monday) to 7 (Sunday). */
  readonly days: readonly number[];
  /** `HH:MM:SS`. */
  readonly start: string;
  readonly end: string;
}

const SLUG = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** PagerDuty names per stack: `aia-<stack>-<name>`. */
export const pagerdutyName = (stack: string, name: string): string => `aia-${stack}-${name}`;

/** The labels in a description, since PagerDuty services take no labels: `k=v, ...`. */
export const describeLabels = (labels: Readonly<Record<string, string>>): string =>
  Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');

/** The schedule's layers as PagerDuty takes them. */
export const scheduleLayers = (schedule: ScheduleSettings): pagerduty.types.input.ScheduleLayer[] =>
  schedule.layers.map((layer) => ({
    name: layer.name,
    start: layer.start,
    rotationVirtualStart: layer.rotationVirtualStart ?? layer.start,
    rotationTurnLengthSeconds: layer.rotationTurnLengthSeconds,
    users: [...layer.users],
  }));

/** First the area's schedule (a key of `scheduleIds`), then the fallback, each after `ruleDelayMinutes`. */
export function escalationRules(
  escalation: EscalationSettings,
  firstSchedule: string,
  scheduleIds: Readonly<Record<string, pulumi.Input<string>>>,
): pagerduty.types.input.EscalationPolicyRule[] {
  const schedule = (key: string) => {
    const id = scheduleIds[key];
    if (id === undefined)
      throw new Error(`schedule "${key}" is referenced but not defined in schedules`);
    return { type: 'schedule_reference', id };
  };
  const { fallback, ruleDelayMinutes } = escalation;
  const fallbackTargets =
    'users' in fallback
      ? fallback.users.map((id) => ({ type: 'user_reference', id }))
      : [schedule(fallback.schedule)];
  return [
    { escalationDelayInMinutes: ruleDelayMinutes, targets: [schedule(firstSchedule)] },
    { escalationDelayInMinutes: ruleDelayMinutes, targets: fallbackTargets },
  ];
}

/**
 * Urgency from the Events API v2 severity (critical and error high, warning and info low); with
 * support hours, every incident during them is high and low ones turn high when they begin.
 */
export function urgencySettings(
  supportHours: SupportHours | undefined,
): Pick<pagerduty.ServiceArgs, 'incidentUrgencyRule' | 'supportHours' | 'scheduledActions'> {
  if (supportHours === undefined) {
    return { incidentUrgencyRule: { type: 'constant', urgency: 'severity_based' } };
  }
  return {
    incidentUrgencyRule: {
      type: 'use_support_hours',
      duringSupportHours: { type: 'constant', urgency: 'high' },
      outsideSupportHours: { type: 'constant', urgency: 'severity_based' },
    },
    supportHours: {
      type: 'fixed_time_per_day',
      timeZone: supportHours.timeZone,
      daysOfWeeks: [...supportHours.days],
      startTime: supportHours.start,
      endTime: supportHours.end,
    },
    scheduledActions: [
      {
        type: 'urgency_change',
        toUrgency: 'high',
        ats: [{ type: 'named_time', name: 'support_hours_start' }],
      },
    ],
  };
}

/** Throws, saying why, on routing PagerDuty would refuse or that pages nobody. */
export function validateRouting(args: {
  readonly areas: Readonly<Record<string, AreaSettings>>;
  readonly schedules: Readonly<Record<string, ScheduleSettings>>;
  readonly escalation: EscalationSettings;
}): void {
  const { areas, schedules, escalation } = args;
  const names = [...Object.keys(areas), ...Object.keys(schedules)];
  const badName = names.find((name) => !SLUG.test(name));
  if (badName !== undefined) {
    throw new Error(
      `"${badName}" is not a valid area or schedule name: expected lower-case letters, digits and "-"`,
    );
  }
  if (Object.keys(areas).length === 0)
    throw new Error('areas is empty: expected at least one area');
  const referenced = [
    escalation.schedule,
    ...('schedule' in escalation.fallback ? [escalation.fallback.schedule] : []),
    ...Object.values(areas).flatMap((area) => (area.schedule ? [area.schedule] : [])),
  ];
  const missing = referenced.find((key) => !(key in schedules));
  if (missing !== undefined) {
    throw new Error(`schedule "${missing}" is referenced but not defined in schedules`);
  }
  for (const [key, schedule] of Object.entries(schedules)) {
    if (schedule.layers.length === 0 || schedule.layers.some((layer) => layer.users.length === 0)) {
      throw new Error(
        `schedule "${key}" pages nobody: expected layers, each with at least one user`,
      );
    }
  }
  if ('users' in escalation.fallback && escalation.fallback.users.length === 0) {
    throw new Error('escalation.fallback.users is empty: expected at least one user');
  }
  if (!Number.isInteger(escalation.ruleDelayMinutes) || escalation.ruleDelayMinutes < 1) {
    throw new Error(
      `escalation.ruleDelayMinutes is ${escalation.ruleDelayMinutes}: expected a whole number of at least 1`,
    );
  }
}
