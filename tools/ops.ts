import { HEALTH_USAGE, healthCommand } from './ops/commands/health.js';
import { WATCH_USAGE, watchCommand } from './ops/commands/watch.js';

/**
 * `npm run ops -- <command> ...`: operations on a stack. Commands so far: `health` (every
 * service's readiness, version and error budget) and `watch` (the release watch with automated
 * rollback). See docs/operations.md.
 */
const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  health: { run: healthCommand, usage: HEALTH_USAGE },
  watch: { run: watchCommand, usage: WATCH_USAGE },
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
