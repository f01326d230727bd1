import { CANARY_USAGE, canaryCommand } from './ops/commands/canary.js';
import { DEPLOY_USAGE, deployCommand } from './ops/commands/deploy.js';
import { FLAGS_USAGE, flagsCommand } from './ops/commands/flags.js';
import { HEALTH_USAGE, healthCommand } from './ops/commands/health.js';
import { ROLLBACK_USAGE, rollbackCommand } from './ops/commands/rollback.js';
import { STATUS_USAGE, statusCommand } from './ops/commands/status.js';
import { SWITCH_USAGE, switchCommand } from './ops/commands/switch.js';
import { WATCH_USAGE, watchCommand } from './ops/commands/watch.js';

/**
 * `npm run ops -- <command> ...`: operations on a stack (docs/operations.md). A release: `deploy`
 * (a digest to the idle colour and the rolling services, which it watches and rolls back),
 * `switch` or `canary`, `watch` (automated rollback), `rollback` by hand; `status` (what runs
 * where), `health` (readiness, versions, error budget), `flags` (feature flags, audited in the
 * stack history under the operator's authenticated identity).
 */
const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  deploy: { run: (argv) => deployCommand(argv), usage: DEPLOY_USAGE },
  switch: { run: (argv) => switchCommand(argv), usage: SWITCH_USAGE },
  canary: { run: (argv) => canaryCommand(argv), usage: CANARY_USAGE },
  watch: { run: watchCommand, usage: WATCH_USAGE },
  rollback: { run: (argv) => rollbackCommand(argv), usage: ROLLBACK_USAGE },
  status: { run: (argv) => statusCommand(argv), usage: STATUS_USAGE },
  health: { run: healthCommand, usage: HEALTH_USAGE },
  flags: { run: (argv) => flagsCommand(argv), usage: FLAGS_USAGE },
};

const [command, ...rest] = process.argv.slice(2);
const chosen = command ? COMMANDS[command] : undefined;
if (!chosen) {
  process.stderr.write(
    `${command ? `unknown command "${command}"\n\n` : ''}Commands:\n\n${Object.values(COMMANDS)
      .map((entry) => entry.usage)
      .join('\n\n')}\n`,
  );
  process.exit(command ? 64 : 0);
}
if (rest.includes('--help')) {
  process.stdout.write(`${chosen.usage}\n`);
  process.exit(0);
}
try {
  process.exit(await chosen.run(rest));
} catch (error) {
  process.stderr.write(`ops ${command}: ${(error as Error).message}\n`);
  process.exit(64);
}
