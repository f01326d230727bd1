import { parseArgs } from 'node:util';
import { UsageError } from '../local-stack/usage-error.js';
import { type CloudSqlDrillInput, cloudSqlDrillInputProblem } from './cloud-sql-clone.js';
import type { DrillLoadOptions } from './source-run.js';
import { utcMicros } from './wal-position.js';

export const DRILL_USAGE = `usage: npm run drill -- restore [--seconds <s>] [--clients <n>] [--accounts <n>] [--archive-timeout <s>]
       npm run drill -- cloud-sql --project <id> --instance <name> --target <time> [--clone <name>] [--keep-clone] [--database <name>]
       npm run drill -- ledger-checks --database-url <url> --target <time>

  restore            base backup under ledger load, point-in-time restore into a fresh server on
                     this machine, ledger checks; prints RTO and RPO; exits 1 when a check fails
    --seconds          load duration around the backup and the target (default 10, at least 3)
    --clients          concurrent POST /v1/transfers clients (default 8)
    --accounts         accounts the transfers move between (default 200)
    --archive-timeout  the source's archive_timeout in seconds (default 1)
  cloud-sql          prints the stack version as a bash script: clone the Cloud SQL primary to
                     --target (RFC 3339 UTC), check the clone, delete it on any exit
    --clone            the clone's name (default <instance>-drill-<target>-<UTC second of the run>)
    --keep-clone       keep the clone for an investigation (the script prints how to delete it)
  ledger-checks      the ledger's invariants and "nothing after --target" on a restored database`;

/** A drill to run with its options. */
export type DrillCommand =
  | { readonly drill: 'restore'; readonly options: DrillLoadOptions }
  | { readonly drill: 'cloud-sql'; readonly input: CloudSqlDrillInput }
  | { readonly drill: 'ledger-checks'; readonly databaseUrl: string; readonly targetUs: bigint }
  | { readonly drill: 'help' };

const OPTIONS = {
  seconds: { type: 'string' },
  clients: { type: 'string' },
  accounts: { type: 'string' },
  'archive-timeout': { type: 'string' },
  project: { type: 'string' },
  instance: { type: 'string' },
  target: { type: 'string' },
  clone: { type: 'string' },
  'keep-clone': { type: 'boolean' },
  database: { type: 'string' },
  'database-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MIN_SECONDS = 3;

function wholeNumber(name: string, value: string | undefined, fallback: number, least: number) {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < least) {
    throw new UsageError(`--${name} must be a whole number ≥ ${least}, not '${value}'`);
  }
  return parsed;
}

/**
 * Parses the drill's command line. The restore drill's load runs a fifth of `--seconds` before
 * the backup, two fifths between the backup and the target, and two fifths after the target.
 * @throws UsageError naming the argument that cannot be used.
 */
export function parseDrillArguments(args: readonly string[]): DrillCommand {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { drill: 'help' };
  const [drill, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  const required = (name: keyof typeof values): string => {
    const value = values[name];
    if (typeof value !== 'string' || value === '') {
      throw new UsageError(`${drill} needs --${name}`);
    }
    return value;
  };
  switch (drill) {
    case 'restore': {
      const seconds = wholeNumber('seconds', values.seconds, 10, MIN_SECONDS);
      const fifth = (seconds * 1000) / 5;
      return {
        drill,
        options: {
          clients: wholeNumber('clients', values.clients, 8, 1),
          accounts: wholeNumber('accounts', values.accounts, 200, 2),
          archiveTimeoutSeconds: wholeNumber('archive-timeout', values['archive-timeout'], 1, 1),
          beforeBackupMs: fifth,
          beforeTargetMs: 2 * fifth,
          afterTargetMs: 2 * fifth,
        },
      };
    }
    case 'cloud-sql': {
      const project = required('project');
      const instance = required('instance');
      const target = required('target');
      const input: CloudSqlDrillInput = {
        project,
        instance,
        target,
        ...(values.clone ? { clone: values.clone } : {}),
        ...(values['keep-clone'] ? { keepClone: true } : {}),
        ...(values.database ? { database: values.database } : {}),
      };
      const problem = cloudSqlDrillInputProblem(input);
      if (problem) throw new UsageError(problem);
      return { drill, input };
    }
    case 'ledger-checks': {
      const target = required('target');
      let targetUs: bigint;
      try {
        targetUs = utcMicros(target);
      } catch {
        throw new UsageError(
          `--target must be a UTC time such as 2026-12-03T15:53:20.421Z, not '${target}'`,
        );
      }
      return { drill, databaseUrl: required('database-url'), targetUs };
    }
    default:
      throw new UsageError(
        drill
          ? `unknown drill '${drill}' (known: restore, cloud-sql, ledger-checks)`
          : 'name a drill: restore, cloud-sql or ledger-checks',
      );
  }
}
