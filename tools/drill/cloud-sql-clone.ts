/** What the stack version of the restore drill needs to know. */
export interface CloudSqlDrillInput {
  readonly project: string;
  /** The primary's instance name (stack output). */
  readonly instance: string;
  /** RFC 3339 UTC, e.g. `2026-12-03T15:53:20.421Z`: within the instance's recovery window. */
  readonly target: string;
  /**
   * The clone's name, used as given: a name no instance of the project had in the last week.
   * Default `<instance>-drill-<yyyymmddhhmm of the target>-<yyyymmddhhmmss of the run>`, new on
   * every run of the script.
   */
  readonly clone?: string;
  /**
   * Keep the clone when the script exits (an investigation, ledger-discrepancy.md): the script
   * then only stops the proxy and prints how to delete the clone.
   */
  readonly keepClone?: boolean;
  /** The ledger's database. Default `economic_governor`, as the stacks name it. */
  readonly database?: string;
  /** Where the proxy listens on 127.0.0.1. Default {@link PROXY_PORT}. */
  readonly port?: number;
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

/** How long the script waits for the proxy to listen before it gives up (and tears down). */
export const PROXY_WAIT_SECONDS = 60;

/**
 * Cloud SQL's limit on `<project ID>:<instance ID>` (an instance ID: lowercase letters, digits
 * and hyphens, starting with a letter).
 */
export const CLOUD_SQL_NAME_LIMIT = 98;

const INSTANCE_ID = /^[a-z][a-z0-9-]*$/;

/** `date -u` format of the run's stamp in the clone's name; its output is 14 digits. */
const RUN_STAMP_FORMAT = '+%Y%m%d%H%M%S';

const quote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

const targetStamp = (target: string) => target.slice(0, 16).replace(/[-T:]/g, '');

/**
 * The clone's name for a run of the script at `run`: Cloud SQL keeps a deleted instance's name
 * for a week, so a rerun of the same target needs a new one; the run's UTC second gives it.
 */
export function drillCloneName(input: CloudSqlDrillInput, run: Date): string {
  if (input.clone) return input.clone;
  const stamp = run.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return `${input.instance}-drill-${targetStamp(input.target)}-${stamp}`;
}

/** What is wrong with the input, naming the option, or undefined. */
export function cloudSqlDrillInputProblem(input: CloudSqlDrillInput): string | undefined {
  if (!RFC3339_UTC.test(input.target)) {
    return `--target must be an RFC 3339 UTC time such as 2026-12-03T15:53:20.421Z, not '${input.target}'`;
  }
  if (!INSTANCE_ID.test(input.instance)) {
    return `--instance must be a Cloud SQL instance ID (lowercase letters, digits, hyphens), not '${input.instance}'`;
  }
  if (input.clone !== undefined && !INSTANCE_ID.test(input.clone)) {
    return `--clone must be a Cloud SQL instance ID (lowercase letters, digits, hyphens), not '${input.clone}'`;
  }
  if (input.clone === input.instance) return '--clone must not name the primary';
  const longest = drillCloneName(input, new Date('2026-12-31T23:59:59Z'));
  if (input.project.length + 1 + longest.length > CLOUD_SQL_NAME_LIMIT) {
    return `the clone's name ${longest} is too long: '<project>:<instance>' may have ${CLOUD_SQL_NAME_LIMIT} characters (shorten it with --clone)`;
  }
  return undefined;
}

/**
 * The restore drill against a stack, as shell steps: clone the Cloud SQL primary to the target
 * time (a new instance, the primary untouched), wait for it, check the ledger on the clone
 * through the Cloud SQL Auth Proxy with `npm run drill -- ledger-checks`, and delete the clone on
 * every exit (a trap), a failed check included; the script's exit status is the checks'.
 * RTO is the time from the clone command to the checks passing; `gcloud` prints the operation's
 * duration. Printed, not run: this machine has no cloud credentials.
 *
 * The instances have a private address only (`ipv4Enabled: false`), so the proxy dials it
 * (`--private-ip`) and the steps run on a host in the stack's VPC. The checks log in as the
 * operator's own Google identity (`--auto-iam-authn`), a member of `cloudSql.auditorsGroup`,
 * whose IAM database user the clone copies from the primary with its read-only grants.
 * @throws Error naming the option when {@link cloudSqlDrillInputProblem} finds one.
 */
export function cloudSqlDrillSteps(input: CloudSqlDrillInput): DrillStep[] {
  const problem = cloudSqlDrillInputProblem(input);
  if (problem) throw new Error(problem);
  const database = input.database ?? 'economic_governor';
  const port = input.port ?? PROXY_PORT;
  const project = `--project=${quote(input.project)}`;
  const listening = `(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null`;
  const clone = input.clone
    ? quote(input.clone)
    : `"${input.instance}-drill-${targetStamp(input.target)}-$(date -u ${RUN_STAMP_FORMAT})"`;
  const teardown = [
    `gcloud sql instances patch "$CLONE" ${project} --no-deletion-protection --quiet`,
    `gcloud sql instances delete "$CLONE" ${project} --quiet`,
  ].join(' && ');
  /** The teardown as a message inside double quotes: `$CLONE` expanded, the quotes kept. */
  const escaped = teardown.replaceAll('"', '\\"');
  return [
    {
      why: "the clone's name: the target's minute and this run's UTC second (Cloud SQL keeps a deleted instance's name for a week, so every run needs a new one)",
      command: `CLONE=${clone}\necho "clone: $CLONE"`,
    },
    {
      why: 'the primary keeps a transaction log for point-in-time recovery (stops here otherwise)',
      command: `PITR=$(gcloud sql instances describe ${quote(input.instance)} ${project} --format='value(settings.backupConfiguration.pointInTimeRecoveryEnabled)')\n[ "$PITR" = True ] || { echo "point-in-time recovery is not enabled on ${input.instance}" >&2; exit 1; }`,
    },
    {
      why: `nothing listens on 127.0.0.1:${port} yet: the checks must reach the clone's proxy, not something else`,
      command: `if ${listening}; then echo '127.0.0.1:${port} is in use: stop what listens there' >&2; exit 1; fi`,
    },
    {
      why: input.keepClone
        ? 'on every exit from here on, a failed check or an interrupt included: stop the proxy and keep the clone (--keep-clone), printing how to delete it; the script keeps its exit status'
        : 'teardown on every exit from here on, a failed check or an interrupt included: stop the proxy, lift the deletion protection the clone inherits, delete the clone; the script keeps its exit status (1 if the clone could not be deleted)',
      command: [
        'CLONE_OPERATION=',
        'PROXY_PID=',
        'teardown() {',
        '  local status=$?',
        '  trap - EXIT',
        '  if [ -n "$PROXY_PID" ]; then kill "$PROXY_PID" 2>/dev/null || true; fi',
        '  if [ -n "$CLONE_OPERATION" ]; then',
        ...(input.keepClone
          ? [`    echo "kept the clone $CLONE (--keep-clone); delete it with: ${escaped}" >&2`]
          : [
              `    if ${teardown}; then`,
              '      echo "deleted the clone $CLONE"',
              '    else',
              `      echo "the clone $CLONE is NOT deleted; when its operation is done: ${escaped}" >&2`,
              '      if [ "$status" -eq 0 ]; then status=1; fi',
              '    fi',
            ]),
        '  fi',
        '  exit "$status"',
        '}',
        'trap teardown EXIT',
        "trap 'exit 129' HUP",
        "trap 'exit 130' INT",
        "trap 'exit 143' TERM",
      ].join('\n'),
    },
    {
      why: 'restore start: clone the primary to the target time into a new instance, then wait for the operation',
      command: `date -u +%FT%TZ\nCLONE_OPERATION=$(gcloud sql instances clone ${quote(input.instance)} "$CLONE" ${project} --point-in-time=${quote(input.target)} --async --format='value(name)')\ngcloud sql operations wait "$CLONE_OPERATION" ${project} --timeout=unlimited`,
    },
    {
      why: 'the clone is up (expect RUNNABLE) and its connection name',
      command: `gcloud sql instances describe "$CLONE" ${project} --format='value(state,connectionName)'\nCONNECTION=$(gcloud sql instances describe "$CLONE" ${project} --format='value(connectionName)')`,
    },
    {
      why: `reach the clone's private address (this host is in the stack's VPC) and log in as your own Google identity, the one gcloud and its application default credentials hold (a member of cloudSql.auditorsGroup: docs/cloudsql-iam.md#auditors); wait until the proxy listens (at most ${PROXY_WAIT_SECONDS} s)`,
      command: [
        `cloud-sql-proxy --private-ip --auto-iam-authn --port=${port} "$CONNECTION" &`,
        'PROXY_PID=$!',
        'waited=0',
        `until ${listening}; do`,
        `  kill -0 "$PROXY_PID" 2>/dev/null || { echo 'cloud-sql-proxy exited before listening on 127.0.0.1:${port}' >&2; exit 1; }`,
        `  [ "$waited" -lt ${PROXY_WAIT_SECONDS} ] || { echo 'cloud-sql-proxy is not listening on 127.0.0.1:${port} after ${PROXY_WAIT_SECONDS} s' >&2; exit 1; }`,
        '  sleep 1',
        '  waited=$((waited + 1))',
        'done',
      ].join('\n'),
    },
    {
      why: "the ledger's invariants on the clone, and no transfer after the target, read-only as your IAM database user (your email, its @ escaped in the URL); RTO ends when this passes",
      command: `npm run drill -- ledger-checks --database-url="postgres://$(gcloud config get account | sed 's/@/%40/')@127.0.0.1:${port}/${database}" --target=${quote(input.target)}\ndate -u +%FT%TZ`,
    },
  ];
}

/** The steps as a bash script with comments, for people to read and run. */
export function formatDrillSteps(steps: readonly DrillStep[]): string {
  const lines = [
    '#!/usr/bin/env bash',
    '# Restore drill on a stack (docs/restore-drill.md). Not run here: needs gcloud credentials.',
    "# Run on a host in the stack's VPC (the instances have private addresses only), logged in with",
    '# `gcloud auth login --update-adc` as a member of the auditors group (cloudSql.auditorsGroup).',
    '# The clone is deleted when the script exits, whatever the checks found.',
    'set -euo pipefail',
  ];
  steps.forEach((step, index) => {
    lines.push('', `# ${index + 1}. ${step.why}`, step.command);
  });
  return `${lines.join('\n')}\n`;
}
