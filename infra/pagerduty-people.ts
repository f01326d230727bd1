import {
  emailReferences,
  lookUpUsers,
  PagerDutyUserLookupError,
  withUserIds,
} from './components/pagerduty/users.js';
import { NAMESPACE, type PagerDutyConfig, StackConfigError } from './config.js';

const KEY = `${NAMESPACE}:alerting`;
const TOKEN_FIX = 'pulumi config set --secret pagerduty:token <API token>';

/**
 * The stack's PagerDuty settings with every email replaced by the PagerDuty user id the
 * provider's lookup returns. Runs before any resource is registered; an email PagerDuty does not
 * know fails the preview with a {@link StackConfigError} naming the key that holds it.
 */
export async function withPagerDutyUserIds(
  stack: string,
  settings: PagerDutyConfig,
): Promise<PagerDutyConfig> {
  const references = emailReferences(settings);
  try {
    return withUserIds(settings, await lookUpUsers(references.keys()));
  } catch (error) {
    if (!(error instanceof PagerDutyUserLookupError)) throw error;
    const problems = error.failures.flatMap(({ email, cause }) =>
      (references.get(email) ?? []).map((where) => ({
        key: `${KEY} → pagerduty.${where}`,
        reason:
          `PagerDuty has no user with the email ${email} (lookup failed: ${cause}): write the ` +
          'address of their PagerDuty account exactly as PagerDuty has it, or invite them to PagerDuty first',
      })),
    );
    // Every lookup failing at once is the provider's token far more often than the people.
    const token =
      error.failures.length === references.size
        ? [
            {
              key: 'pagerduty:token',
              reason: `every user lookup failed: check that the PagerDuty provider's API token is set (${TOKEN_FIX}, or PAGERDUTY_TOKEN) and may read users`,
            },
          ]
        : [];
    throw new StackConfigError(stack, [...token, ...problems]);
  }
}
