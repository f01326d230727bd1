import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudSqlDrillSteps, formatDrillSteps } from './cloud-sql-clone.js';
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

  it('dials the clone’s private address and logs in as the operator’s own IAM user', () => {
    const proxy = steps.find((step) => step.command.startsWith('cloud-sql-proxy'))?.command ?? '';
    // Every instance has ipv4Enabled: false: without --private-ip the proxy dials a public
    // address the clone does not have.
    expect(proxy).toMatch(/ --private-ip /);
    expect(proxy).toMatch(/ --auto-iam-authn /);
    const port = /--port=(\d+)/.exec(proxy)?.[1];

    // The checks' URL as the shell expands it, with gcloud reporting the operator's account.
    const bin = mkdtempSync(join(tmpdir(), 'drill-gcloud-'));
    try {
      writeFileSync(join(bin, 'gcloud'), '#!/bin/sh\necho alice@aia-platform.dev\n');
      chmodSync(join(bin, 'gcloud'), 0o755);
      const checks = steps.find((step) => step.command.includes('ledger-checks'))?.command ?? '';
      const url = /--database-url=("[^"]+")/.exec(checks)?.[1] ?? '';
      const expanded = execFileSync('sh', ['-c', `printf %s ${url}`], {
        env: { PATH: `${bin}:/usr/bin:/bin` },
        encoding: 'utf8',
      });
      const parsed = new URL(expanded);
      // postgres.js decodes the user name: the IAM database user is the full email.
      expect(decodeURIComponent(parsed.username)).toBe('alice@aia-platform.dev');
      expect(parsed.password).toBe('');
      expect(parsed.hostname).toBe('127.0.0.1');
      expect(parsed.port).toBe(port);
      expect(parsed.pathname).toBe('/economic_governor');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('says where the script must run and as whom', () => {
    const script = formatDrillSteps(steps);
    expect(script).toMatch(/host in the stack's VPC/);
    expect(script).toMatch(/cloudSql\.auditorsGroup/);
  });
});
