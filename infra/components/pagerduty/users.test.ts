import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET_USER, pagerdutyDirectory } from '../../../tools/plan/pagerduty-directory.js';
import type { PagerDutyConfig } from '../../config.js';
import { emailReferences, lookUpUsers, PagerDutyUserLookupError, withUserIds } from './users.js';

const settings: PagerDutyConfig = {
  areas: { platform: { description: 'Platform.', services: ['aia-api'] } },
  schedules: {
    primary: {
      timeZone: 'UTC',
      layers: [
        {
          name: 'weekly',
          start: '2026-01-05T09:00:00Z',
          rotationTurnLengthSeconds: 604_800,
          users: ['ada@example.com', 'grace@example.com'],
        },
      ],
    },
  },
  escalation: {
    ruleDelayMinutes: 15,
    schedule: 'primary',
    fallback: { users: ['lead@example.com', 'ada@example.com'] },
  },
};

// PagerDuty's directory as the mock provider answers it: these three people exist, nobody else.
const people = ['ada@example.com', 'grace@example.com', 'lead@example.com'];
const directory = pagerdutyDirectory(people);

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: ({ token, inputs }) => {
        if (token !== GET_USER) throw new Error(`unexpected invoke ${token}`);
        return directory(inputs);
      },
    },
    'aia-platform',
    'production',
    false,
  );
});

describe('PagerDuty people by email', () => {
  it('knows where each email is named', () => {
    expect(Object.fromEntries(emailReferences(settings))).toEqual({
      'ada@example.com': ['schedules.primary.layers.0.users', 'escalation.fallback.users'],
      'grace@example.com': ['schedules.primary.layers.0.users'],
      'lead@example.com': ['escalation.fallback.users'],
    });
  });

  it('resolves every email once through pagerduty.getUser and puts the ids in its place', async () => {
    const ids = await lookUpUsers(emailReferences(settings).keys());
    expect(Object.keys(ids).sort()).toEqual(people);
    for (const id of Object.values(ids)) expect(id).toMatch(/^P[0-9A-F]{6}$/);
    const resolved = withUserIds(settings, ids);
    expect(resolved.schedules.primary?.layers[0]?.users).toEqual([
      ids['ada@example.com'],
      ids['grace@example.com'],
    ]);
    expect(resolved.escalation.fallback).toEqual({
      users: [ids['lead@example.com'], ids['ada@example.com']],
    });
  });

  it('fails listing every email PagerDuty does not know, not just the first', async () => {
    const failure = lookUpUsers(['ada@example.com', 'ADA@example.com', 'nobody@example.com']);
    await expect(failure).rejects.toBeInstanceOf(PagerDutyUserLookupError);
    const error = (await failure.catch((e: unknown) => e)) as PagerDutyUserLookupError;
    expect(error.failures.map(({ email }) => email)).toEqual([
      'ADA@example.com',
      'nobody@example.com',
    ]);
  });

  it('fails the stack naming the config key of an unknown email', async () => {
    const { withPagerDutyUserIds } = await import('../../pagerduty-people.js');
    const typo = {
      ...settings,
      escalation: { ...settings.escalation, fallback: { users: ['laed@example.com'] } },
    };
    const failure = withPagerDutyUserIds('production', typo);
    await expect(failure).rejects.toMatchObject({ name: 'StackConfigError' });
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toMatch(
      /^ {2}- aia-platform:alerting → pagerduty\.escalation\.fallback\.users: PagerDuty has no user with the email laed@example\.com \(lookup failed: .*\): write the address of their PagerDuty account exactly as PagerDuty has it, or invite them to PagerDuty first$/m,
    );
    // Only one of three lookups failed: the token works, so it is not blamed.
    expect(message).not.toContain('pagerduty:token');
  });

  it('points at the token when every lookup fails', async () => {
    const { withPagerDutyUserIds } = await import('../../pagerduty-people.js');
    const strangers = withUserIds(settings, {
      'ada@example.com': 'x@example.com',
      'grace@example.com': 'y@example.com',
      'lead@example.com': 'z@example.com',
    });
    const message = await withPagerDutyUserIds('production', strangers).catch(
      (error: Error) => error.message,
    );
    expect(message).toContain(
      "  - pagerduty:token: every user lookup failed: check that the PagerDuty provider's API token is set",
    );
    expect(message).toContain('pulumi config set --secret pagerduty:token <API token>');
  });
});
