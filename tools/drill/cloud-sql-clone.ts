/** What the stack version of the restore drill needs to know. */
export interface CloudSqlDrillInput {
  readonly project: string;
  /** The primary's instance name (stack output). */
  readonly instance: string;
  /** RFC 3339 UTC, e.g. `2026-12-03T15:53:20.421Z`: within the instance's recovery window. */
  readonly target: string;
  /** The clone's name. Default `<instance>-drill-<yyyymmddhhmm of the target>`. */
  readonly clone?: string;
  /** The ledger's database. Default `economic_governor`, as the stacks name it. */
  readonly database?: string;
}

/** One step of the procedure: why, then the command. */
export interface DrillStep {
  readonly why: string;
  readonly command: string;
}

/** An RFC 3339 time in UTC, as `gcloud sql instances clone --point-in-time` takes it. */
export const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/;

/** Where the drill's Cloud SQL Auth Proxy listens on the host, clear of a local PostgreSQL. */
export const PROXY_PORT = 6543;

const quote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

/**
 * The restore drill against a stack, as shell steps: clone the Cloud SQL primary to the target
 * time (a new instance, the primary untouched), wait for it, check the ledger on the clone
 * through the Cloud SQL Auth Proxy with `npm run drill -- ledger-checks`, then delete the clone.
 * RTO is the time from the clone command to the checks passing; `gcloud` prints the operation's
 * duration. Printed, not run: this machine has no cloud credentials.
 *
 * The instances have a private address only (`ipv4Enabled: false`), so the proxy dials it
 * (`--private-ip`) and the steps run on a host in the stack's VPC. The checks log in as the
 * operator's own Google identity (`--auto-iam-authn`), a member of `cloudSql.auditorsGroup`,
 * whose IAM database user the clone copies from the primary with its read-only grants.
 * @throws Error naming the field when the target is not an RFC 3339 UTC time.
 */
export function cloudSqlDrillSteps(input: CloudSqlDrillInput): DrillStep[] {
  if (!RFC3339_UTC.test(input.target)) {
    throw new Error(
      `--target must be an RFC 3339 UTC time such as 2026-12-03T15:53:20.421Z, not '${input.target}'`,
    );
  }
  const stamp = input.target.slice(0, 16).replace(/[-T:]/g, '');
  const clone = input.clone ?? `${input.instance}-drill-${stamp}`;
  const database = input.database ?? 'economic_governor';
  const project = `--project=${quote(input.project)}`;
  return [
    {
      why: 'the primary keeps a transaction log for point-in-time recovery (expect True)',
      command: `gcloud sql instances describe ${quote(input.instance)} ${project} --format='value(settings.backupConfiguration.pointInTimeRecoveryEnabled)'`,
    },
    {
      why: 'restore start: clone the primary to the target time into a new instance (waits for the operation)',
      command: `date -u +%FT%TZ; gcloud sql instances clone ${quote(input.instance)} ${quote(clone)} ${project} --point-in-time=${quote(input.target)}`,
    },
    {
      why: 'the clone is up (expect RUNNABLE) and its connection name',
      command: `gcloud sql instances describe ${quote(clone)} ${project} --format='value(state,connectionName)'`,
    },
    {
      why: "reach the clone's private address (this host is in the stack's VPC) and log in as your own Google identity, the one gcloud and its application default credentials hold (a member of cloudSql.auditorsGroup: docs/cloudsql-iam.md#auditors)",
      command: `cloud-sql-proxy --private-ip --auto-iam-authn --port=${PROXY_PORT} "$(gcloud sql instances describe ${quote(clone)} ${project} --format='value(connectionName)')" &`,
    },
    {
      why: "the ledger's invariants on the clone, and no transfer after the target, read-only as your IAM database user (your email, its @ escaped in the URL); RTO ends when this passes",
      command: `npm run drill -- ledger-checks --database-url="postgres://$(gcloud config get account | sed 's/@/%40/')@127.0.0.1:${PROXY_PORT}/${database}" --target=${quote(input.target)}; date -u +%FT%TZ`,
    },
    {
      why: 'teardown: the clone inherits deletion protection; lift it, then delete the clone',
      command: `kill %1; gcloud sql instances patch ${quote(clone)} ${project} --no-deletion-protection --quiet && gcloud sql instances delete ${quote(clone)} ${project} --quiet`,
    },
  ];
}

/** The steps as a shell script with comments, for people to read and run. */
export function formatDrillSteps(steps: readonly DrillStep[]): string {
  const lines = [
    '# Restore drill on a stack (docs/restore-drill.md). Not run here: needs gcloud credentials.',
    "# Run on a host in the stack's VPC (the instances have private addresses only), logged in with",
    '# `gcloud auth login --update-adc` as a member of the auditors group (cloudSql.auditorsGroup).',
    'set -euo pipefail',
  ];
  steps.forEach((step, index) => {
    lines.push('', `# ${index + 1}. ${step.why}`, step.command);
  });
  return `${lines.join('\n')}\n`;
}
