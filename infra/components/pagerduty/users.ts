import * as pagerduty from '@pulumi/pagerduty';
import type * as pulumi from '@pulumi/pulumi';
import type { EscalationFallback, ScheduleSettings } from './settings.js';

/** Schedules and fallback naming people by the email of their PagerDuty account. */
export interface PeopleByEmail {
  readonly schedules: Readonly<Record<string, ScheduleSettings>>;
  readonly escalation: { readonly fallback: EscalationFallback };
}

/** Each email named in `settings`, with where: `schedules.primary.layers.0.users`, ... */
export function emailReferences(settings: PeopleByEmail): Map<string, string[]> {
  const references = new Map<string, string[]>();
  const add = (email: string, where: string) =>
    references.set(email, [...(references.get(email) ?? []), where]);
  for (const [key, schedule] of Object.entries(settings.schedules)) {
    schedule.layers.forEach((layer, index) => {
      for (const email of layer.users) add(email, `schedules.${key}.layers.${index}.users`);
    });
  }
  const { fallback } = settings.escalation;
  if ('users' in fallback) {
    for (const email of fallback.users) add(email, 'escalation.fallback.users');
  }
  return references;
}

/** Emails PagerDuty's user lookup did not resolve, with what the provider said. */
export class PagerDutyUserLookupError extends Error {
  override readonly name = 'PagerDutyUserLookupError';
  constructor(readonly failures: readonly { readonly email: string; readonly cause: string }[]) {
    super(`PagerDuty has no user for ${failures.map(({ email }) => email).join(', ')}`);
  }
}

/**
 * PagerDuty user ids by email, from the provider's user lookup (`pagerduty.getUser`), which runs
 * at preview: a schedule naming someone PagerDuty does not know fails before anything is created,
 * instead of half-way through `pulumi up`. Every email is looked up before any fails, so the error
 * lists them all.
 */
export async function lookUpUsers(
  emails: Iterable<string>,
  opts?: pulumi.InvokeOptions,
): Promise<Record<string, string>> {
  const unique = [...new Set(emails)];
  const results = await Promise.allSettled(
    unique.map((email) => pagerduty.getUser({ email }, opts)),
  );
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected'
      ? [{ email: unique[index] ?? '', cause: String(result.reason?.message || result.reason) }]
      : [],
  );
  if (failures.length > 0) throw new PagerDutyUserLookupError(failures);
  return Object.fromEntries(
    results.map((result, index) => [
      unique[index],
      (result as PromiseFulfilledResult<pagerduty.GetUserResult>).value.id,
    ]),
  );
}

/** `settings` with every email replaced by its PagerDuty user id from `ids`. */
export function withUserIds<T extends PeopleByEmail>(
  settings: T,
  ids: Readonly<Record<string, string>>,
): T {
  const id = (email: string) => {
    const found = ids[email];
    if (found === undefined) throw new Error(`no PagerDuty user id was looked up for ${email}`);
    return found;
  };
  const schedules = Object.fromEntries(
    Object.entries(settings.schedules).map(([key, schedule]) => [
      key,
      {
        ...schedule,
        layers: schedule.layers.map((layer) => ({ ...layer, users: layer.users.map(id) })),
      },
    ]),
  );
  const { fallback } = settings.escalation;
  return {
    ...settings,
    schedules,
    escalation: {
      ...settings.escalation,
      fallback: 'users' in fallback ? { users: fallback.users.map(id) } : fallback,
    },
  };
}
