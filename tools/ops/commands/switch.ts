import { parseArgs } from 'node:util';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';
import { imageOf, otherColour } from '../release/release-config.js';
import { switchPlan } from '../release/release-plans.js';
import { watchCommand } from './watch.js';

export const SWITCH_USAGE = `npm run ops -- switch --stack <staging|production> [--reason <text>] [--watch]

Makes the idle colour of the blue-green services live (services.activeColor, pulumi up; ends a
canary too). With --watch, then runs \`ops watch\` on it (automated rollback on the triggers;
needs PAGERDUTY_ROUTING_KEY); without, prints that command.`;

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
    },
  });
  const name = stackArg(values.stack);
  const stack = await openAtLastDeployment(io, name);
  const config = await stack.config();
  const to = otherColour(config.activeColor);
  const plan = switchPlan(config, values.reason);
  await stack.update(plan.changes, plan.message);
  const watchArgs = ['--stack', name, '--colour', to, '--previous', config.activeColor];
  io.out(
    `${name}: ${to} is live (${imageOf(config, to)}); ${config.activeColor} stays for rollback.\n${
      values.watch ? 'watching it now\n' : `Watch it: npm run ops -- watch ${watchArgs.join(' ')}\n`
    }`,
  );
  return values.watch ? watch(watchArgs) : 0;
}
