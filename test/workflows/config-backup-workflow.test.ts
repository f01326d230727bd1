import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BACKUP_WINDOW_HOURS } from '../../infra/components/cloudsql/export-window.js';
import { backupStartTime } from '../../infra/components/cloudsql/settings.js';
import { STACKS } from '../../services/catalog.js';

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly strategy?: { matrix: { stack: string[] } };
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

/** `${{ <expression> }}` as the workflow writes it. */
const gh = (expression: string) => `$\{{ ${expression} }}`;
const root = join(import.meta.dirname, '../..');
const text = readFileSync(join(root, '.github/workflows/config-backup.yml'), 'utf8');
const workflow = parse(text) as Workflow;
const backup = workflow.jobs.backup as Job;
const steps = backup.steps;
const index = (find: (step: Step) => boolean) => {
  const at = steps.findIndex(find);
  expect(at).toBeGreaterThanOrEqual(0);
  return at;
};

/** The stack file's `aia-platform:maintenance` window (UTC), as minutes of the day. */
function windowsOf(stack: string): [from: number, to: number][] {
  const file = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as {
    config: Record<string, { startHour: number; hours: number } | undefined>;
  };
  const maintenance = file.config['aia-platform:maintenance'] ?? { startHour: 2, hours: 2 };
  const backupStart = Number.parseInt(backupStartTime(maintenance.startHour), 10) * 60;
  return [
    [maintenance.startHour * 60, (maintenance.startHour + maintenance.hours) * 60],
    [backupStart, backupStart + BACKUP_WINDOW_HOURS * 60],
  ];
}

describe('the config-backup workflow', () => {
  it('runs daily and by hand only, outside each stack’s maintenance window and Cloud SQL’s backup window', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const [schedule, ...others] = workflow.on.schedule as { cron: string }[];
    expect(others).toEqual([]);
    const [minute, hour, ...days] = (schedule?.cron ?? '').split(' ');
    expect(days).toEqual(['*', '*', '*']);
    const at = Number(hour) * 60 + Number(minute);
    expect(Number(minute)).not.toBe(0);
    for (const stack of STACKS) {
      for (const [from, to] of windowsOf(stack)) {
        expect(at >= from && at < to, `${schedule?.cron} inside ${from}-${to} min (${stack})`).toBe(
          false,
        );
      }
    }
  });

  it('asks for the least: reading the code, and an OIDC token for Workload Identity Federation', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(backup.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    // The steps, not the comments (which say what the job never does).
    expect(JSON.stringify(workflow.jobs)).not.toMatch(
      /secrets\.|PULUMI_ACCESS_TOKEN|--show-secrets/,
    );
  });

  it('backs up each stack in its own environment, one run per stack at a time, never cancelling one', () => {
    expect(backup.strategy?.matrix.stack).toEqual([...STACKS]);
    expect(backup.environment).toBe(`${gh('matrix.stack')}-config-backup`);
    expect(backup.concurrency).toEqual({
      group: `config-backup-${gh('matrix.stack')}`,
      'cancel-in-progress': false,
    });
  });

  it('logs in to the stack’s state bucket as the writer account, backs up, then uploads without overwriting', () => {
    const backend = index((step) => step.id === 'backend');
    const pulumi = index((step) => step.uses?.startsWith('pulumi/actions@') === true);
    const auth = index((step) => step.uses?.startsWith('google-github-actions/auth@') === true);
    const run = index((step) => step.id === 'backup');
    const upload = index(
      (step) => step.run?.startsWith('bash tools/config-backup/upload.sh') === true,
    );
    expect(steps[backend]?.run).toBe(
      `npm run --silent state:backend -- --stack "${gh('matrix.stack')}" >> "$GITHUB_OUTPUT"`,
    );
    expect(steps[pulumi]?.with).toBeUndefined();
    expect(steps[auth]?.with).toEqual({
      workload_identity_provider: gh('vars.GCP_WORKLOAD_IDENTITY_PROVIDER'),
      service_account: gh('vars.GCP_SERVICE_ACCOUNT'),
    });
    expect(steps[run]?.env).toEqual({ PULUMI_BACKEND_URL: gh('steps.backend.outputs.url') });
    expect(steps[run]?.run).toBe(
      `npm run --silent config:backup -- --stack "${gh('matrix.stack')}" --out config-backups >> "$GITHUB_OUTPUT"`,
    );
    expect(steps[upload]?.run).toBe(
      `bash tools/config-backup/upload.sh "${gh('matrix.stack')}" "${gh('steps.backup.outputs.dir')}" "${gh('steps.backup.outputs.bucket')}"`,
    );
    expect([backend, pulumi, auth].every((step) => step < run)).toBe(true);
    expect(run).toBeLessThan(upload);
    expect(upload).toBe(steps.length - 1);
  });

  it('writes its backups where git and Biome ignore them', () => {
    expect(
      execFileSync('git', ['check-ignore', 'config-backups/x'], { cwd: root, encoding: 'utf8' }),
    ).toBe('config-backups/x\n');
  });
});
