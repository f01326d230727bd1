import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../test/harness/plan-queries.js';
import { configuredPagerDutyEmails } from '../tools/plan/pagerduty-directory.js';
import { runPlan } from '../tools/plan/run-plan.js';
import { readStackConfig } from '../tools/plan/stack-file.js';

describe('a stack naming someone PagerDuty does not know', () => {
  it('fails the program with the config key of the email, as a preview would', async () => {
    const emails = configuredPagerDutyEmails(readStackConfig(repositoryRoot, 'production').config);
    const [missing, ...known] = emails;
    expect(missing).toBeDefined();
    const failure = runPlan({ root: repositoryRoot, stack: 'production', pagerdutyUsers: known });
    await expect(failure).rejects.toMatchObject({ name: 'StackConfigError' });
    const message = await failure.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message).toContain('Invalid configuration for stack production:');
    expect(message).toMatch(
      new RegExp(
        `^ {2}- aia-platform:alerting → pagerduty\\.schedules\\.primary\\.layers\\.0\\.users: PagerDuty has no user with the email ${missing?.replaceAll('.', '\\.')} `,
        'm',
      ),
    );
    expect(message).toContain('Nothing was created.');
  });
});
