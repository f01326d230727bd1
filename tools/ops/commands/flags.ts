import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { flagPlan, parseFlagSetting } from '../release/flag-plan.js';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';

export const FLAGS_USAGE = `npm run ops -- flags --stack <staging|production> [--set NAME=true|false ...]

Without --set, prints the stack's feature flags. With it, sets services.featureFlags.NAME and runs
pulumi up with a message naming each flag, its old and new value and the operator (git config
user.email, else $USER): the stack's update history is the audit trail. Only the services that
declare a flag roll (their environment digest changes); no new image.`;

/** Who changes the flags: `git config user.email`, else $USER. */
export function operatorName(): string {
  try {
    const email = execFileSync('git', ['config', 'user.email'], { encoding: 'utf8' }).trim();
    if (email) return email;
  } catch {
    // No git or no e-mail configured: fall back to the login name.
  }
  return process.env.USER || 'unknown operator';
}

/** `ops flags`: issue 22, item 5. */
export async function flagsCommand(
  argv: string[],
  io: CommandIo = processIo,
  operator: () => string = operatorName,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { stack: { type: 'string' }, set: { type: 'string', multiple: true, default: [] } },
  });
  const name = stackArg(values.stack);
  const settings = values.set.map(parseFlagSetting);
  const stack = await openAtLastDeployment(io, name);
  const config = await stack.config();
  if (!settings.length) {
    io.out(`${JSON.stringify(config.featureFlags, null, 2)}\n`);
    return 0;
  }
  const plan = flagPlan(config, settings, operator());
  if (!plan) {
    io.out(`${name}: every flag already has that value; nothing to change\n`);
    return 0;
  }
  await stack.update(plan.changes, plan.message);
  io.out(`${name}: ${plan.message}\n`);
  return 0;
}
