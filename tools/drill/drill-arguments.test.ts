import { describe, expect, it } from 'vitest';
import { cloudSqlDrillSteps } from './cloud-sql-clone.js';
import { parseDrillArguments } from './drill-arguments.js';

describe('npm run drill arguments', () => {
  it('splits the restore drill’s seconds around the backup and the target', () => {
    expect(parseDrillArguments(['restore', '--seconds', '5', '--clients', '3'])).toEqual({
      drill: 'restore',
      options: {
        clients: 3,
        accounts: 200,
        archiveTimeoutSeconds: 1,
        beforeBackupMs: 1000,
        beforeTargetMs: 2000,
        afterTargetMs: 2000,
      },
    });
  });

  it('names the argument it cannot use', () => {
    expect(() => parseDrillArguments(['restore', '--seconds', '2'])).toThrow(/--seconds .* ≥ 3/);
    expect(() => parseDrillArguments(['restore', '--nope'])).toThrow(/--nope/);
    expect(() => parseDrillArguments(['rebuild'])).toThrow(/unknown drill 'rebuild'/);
    expect(() => parseDrillArguments(['cloud-sql', '--project', 'p', '--target', 'x'])).toThrow(
      /needs --instance/,
    );
    expect(() =>
      parseDrillArguments(['cloud-sql', '--project', 'p', '--instance', 'i', '--target', 'noon']),
    ).toThrow(/--target must be an RFC 3339 UTC time/);
  });
});

describe('the Cloud SQL restore drill steps', () => {
  const steps = cloudSqlDrillSteps({
    project: 'aia-prod',
    instance: 'aia-pg',
    target: '2026-12-03T15:53:20.421Z',
  });

  it('clones to the target time, checks the clone, and deletes it last', () => {
    const commands = steps.map((step) => step.command);
    expect(commands[1]).toContain(
      "gcloud sql instances clone 'aia-pg' 'aia-pg-drill-202612031553' --project='aia-prod' --point-in-time='2026-12-03T15:53:20.421Z'",
    );
    expect(commands.some((command) => command.includes('npm run drill -- ledger-checks'))).toBe(
      true,
    );
    expect(commands.at(-1)).toMatch(/gcloud sql instances delete 'aia-pg-drill-202612031553'/);
    expect(commands.some((command) => /instances delete 'aia-pg'/.test(command))).toBe(false);
  });
});
