import { cloudSqlDrillSteps, formatDrillSteps } from './drill/cloud-sql-clone.js';
import { DRILL_USAGE, parseDrillArguments } from './drill/drill-arguments.js';
import { checkLedgerAt } from './drill/ledger-checks.js';
import { formatChecks, formatRestoreReport } from './drill/report.js';
import { runRestoreDrill } from './drill/restore-drill.js';
import { EX_USAGE, UsageError } from './local-stack/usage-error.js';

/**
 * `npm run drill -- restore | cloud-sql | ledger-checks` (docs/restore-drill.md). Exit 0 when
 * every check passed, 1 when one failed or the drill could not run, 2 on a bad command line.
 */
async function main(): Promise<number> {
  let command: ReturnType<typeof parseDrillArguments>;
  try {
    command = parseDrillArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${DRILL_USAGE}\n`);
    return EX_USAGE;
  }
  switch (command.drill) {
    case 'cloud-sql':
      process.stdout.write(formatDrillSteps(cloudSqlDrillSteps(command.input)));
      return 0;
    case 'help':
      process.stdout.write(`${DRILL_USAGE}\n`);
      return 0;
    case 'ledger-checks': {
      const checks = await checkLedgerAt(command.databaseUrl, command.targetUs);
      process.stdout.write(formatChecks(checks));
      return checks.every((check) => check.passed) ? 0 : 1;
    }
    case 'restore': {
      const report = await runRestoreDrill(command.options, (message) =>
        process.stderr.write(`  ${message}\n`),
      );
      process.stdout.write(formatRestoreReport(report));
      return report.passed ? 0 : 1;
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`drill could not run: ${error.message}\n`);
    process.exit(1);
  },
);
