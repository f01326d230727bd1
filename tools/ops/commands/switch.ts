import { parseArgs } from 'node:util';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';
import { imageOf, otherColour } from '../release/release-config.js';
import { switchPlan } from '../release/release-plans.js';
import { checkIdleColour } from '../release/rolled-back-image.js';
import { watchCommand } from './watch.js';

export const SWITCH_USAGE = `npm run ops -- switch --stack <staging|production> [--reason <text>] [--watch] [--force]

Makes the idle colour of the blue-green services live (services.activeColor, pulumi up; ends a
canary too). With --watch, then runs \`ops watch\` on it (automated rollback on the triggers;
needs PAGERDUTY_ROUTING_KEY); without, prints that command.
Refused (exit code 1, nothing changed) when the stack's history records the idle colour's image as
rolled back (by the deploy watch, rollback, ops watch or a canary's abort): deploy a fixed digest.
--force --reason <why> switches anyway, the override and why recorded in the update's message.`;

/** `ops switch`: the blue-green switch of issue 22, item 2. */
export async function switchCommand(
  argv: string[],
  io: CommandIo = processIo,
  watch: (argv: string[]) => Promise<number> = watchCommand,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      reason: { type: 'string' },
      watch: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
  const name = stackArg(values.stack);
  const stack = await openAtLastDeployment(io, name);
  const config = await stack.config();
  const check = checkIdleColour({
    command: 'switch',
    stack: name,
    config,
    history: await stack.history(),
    force: values.force,
    reason: values.reason,
  });
  if (!check.allowed) {
    io.out(check.message);
    return 1;
  }
  const to = otherColour(config.activeColor);
  const plan = switchPlan(config, check.reason);
  await stack.update(plan.changes, plan.message);
  const watchArgs = ['--stack', name, '--colour', to, '--previous', config.activeColor];
  io.out(
    `${name}: ${to} is live (${imageOf(config, to)}); ${config.activeColor} stays for rollback.\n${
      values.watch ? 'watching it now\n' : `Watch it: npm run ops -- watch ${watchArgs.join(' ')}\n`
    }`,
  );
  return values.watch ? watch(watchArgs) : 0;
}
