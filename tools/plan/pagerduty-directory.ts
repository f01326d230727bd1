import { createHash } from 'node:crypto';
import { emailReferences, type PeopleByEmail } from '../../infra/components/pagerduty/users.js';

/** The invoke token of the PagerDuty provider's user lookup (`pagerduty.getUser`). */
export const GET_USER = 'pagerduty:index/getUser:getUser';

/**
 * Every email the stack's configuration names for PagerDuty (`aia-platform:alerting` →
 * `pagerduty`), so the offline plan's PagerDuty knows the people the stack names. A malformed
 * value yields none: the program's own validation reports it.
 */
export function configuredPagerDutyEmails(config: Readonly<Record<string, string>>): string[] {
  try {
    const alerting = JSON.parse(config['aia-platform:alerting'] ?? '{}') as {
      pagerduty?: PeopleByEmail;
    };
    return alerting.pagerduty ? [...emailReferences(alerting.pagerduty).keys()] : [];
  } catch {
    return [];
  }
}

/**
 * A stand-in for PagerDuty's user directory: a known email gets a stable id of PagerDuty's shape
 * (`P` and six characters), any other fails as the provider does.
 */
export function pagerdutyDirectory(emails: Iterable<string>) {
  const known = new Set(emails);
  return (inputs: Record<string, unknown>): Record<string, unknown> => {
    const email = String(inputs.email);
    if (!known.has(email)) throw new Error(`Unable to locate any user with the email: ${email}`);
    const digest = createHash('sha256').update(email).digest('hex').slice(0, 6).toUpperCase();
    return { id: `P${digest}`, email, name: email.split('@')[0] };
  };
}
