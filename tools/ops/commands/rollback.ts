import { parseArgs } from 'node:util';
import { checkColourRollback } from '../release/colour-rollback.js';
import { rollBackToPreviousDigest } from '../release/digest-rollback.js';
import { lastRollback } from '../release/last-rollback.js';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';
import { colourRollbackPlan } from '../release/release-plans.js';

export const ROLLBACK_USAGE = `npm run ops -- rollback --stack <staging|production> [--to-previous-digest] [--reason <text>] [--again]

Default: switches the blue-green services back to the other colour (which still runs the release
before), one pulumi up, no pod restarts. When the stack's last update was a rollback already (by
hand, by the watch or a canary's abort), the other colour runs the release it removed: refused
with exit code 1 unless --again. Refused too (exit code 1, nothing changed) when the other colour
runs an image that never served users: after ops deploy it runs the new release, not the one
before; the live colour is the old release already. --to-previous-digest: reads the stack's update history
and redeploys the image before the current one to every service (failed updates and releases
already rolled back are passed over). Exit code 1 when the history holds no earlier image.`;

/** `ops rollback`: issue 22, item 3. */
export async function rollbackCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      'to-previous-digest': { type: 'boolean', default: false },
      reason: { type: 'string' },
      again: { type: 'boolean', default: false },
    },
  });
  const name = stackArg(values.stack);
  const stack = await openAtLastDeployment(io, name);
  const config = await stack.config();
  if (!values['to-previous-digest']) {
    const done = values.again ? undefined : lastRollback(await stack.history());
    if (done) {
      io.out(
        `${name}: update ${done.version} rolled back already ("${done.message}"); the other colour runs the release it removed. Pass --again to switch anyway, or --to-previous-digest to go further back\n`,
      );
      return 1;
    }
    const check = await checkColourRollback(stack, config);
    if (!check.allowed) {
      io.out(check.message);
      return 1;
    }
    const plan = colourRollbackPlan(config, values.reason);
    await stack.update(plan.changes, plan.message);
    io.out(`${name}: ${plan.message}\n`);
    return 0;
  }
  const rolled = await rollBackToPreviousDigest(stack, values.reason);
  for (const skipped of rolled.skipped) {
    process.stderr.write(`passed over update ${skipped.version}: ${skipped.reason}\n`);
  }
  if (!rolled.done) {
    io.out(`${name}: nothing to roll back to: ${rolled.reason}\n`);
    return 1;
  }
  io.out(`${name}: ${rolled.message} (deployed first by update ${rolled.version})\n`);
  return 0;
}
