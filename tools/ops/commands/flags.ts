import { parseArgs } from 'node:util';
import { flagPlan, parseFlagSetting } from '../release/flag-plan.js';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';
import { requireOperatorIdentity } from '../release/operator-identity.js';

export const FLAGS_USAGE = `npm run ops -- flags --stack <staging|production> [--set NAME=true|false ...]

Without --set, prints the stack's feature flags. With it, sets services.featureFlags.NAME and runs
pulumi up with a message naming each flag, its old and new value and the operator as
authenticated: in a GitHub Actions job with id-token: write the actor of its OIDC token, else
gcloud's account (gcloud config get account, holding working credentials). With neither, the
change is refused. The stack's update history is the audit trail. Only the services that declare
a flag roll (their environment digest changes); no new image.`;

/** `ops flags`: issue 22, item 5. */
export async function flagsCommand(
  argv: string[],
  io: CommandIo = processIo,
  identify: () => Promise<string> = requireOperatorIdentity,
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
  // Who is asked before anything changes: a change nobody authenticated is refused.
  const plan = flagPlan(config, settings, await identify());
  if (!plan) {
    io.out(`${name}: every flag already has that value; nothing to change\n`);
    return 0;
  }
  await stack.update(plan.changes, plan.message);
  io.out(`${name}: ${plan.message}\n`);
  return 0;
}
