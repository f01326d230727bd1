import { parseArgs } from 'node:util';
import { STACKS, type StackName } from '../services/catalog.js';
import {
  activeColour,
  openStack,
  readStackOutputs,
  refreshStackConfig,
} from './ops/pulumi-stack.js';
import { githubOutputLines, releaseFacts } from './release-workflow/facts.js';

/**
 * `npm run --silent release:facts -- --stack <stack> >> "$GITHUB_OUTPUT"`: the stack outputs the
 * release workflow's later steps use (image repository, gateway, attestor, colours), as
 * `key=value` lines. Needs the Pulumi CLI, logged in.
 */
const { values } = parseArgs({ options: { stack: { type: 'string' } } });
if (!values.stack || !(STACKS as readonly string[]).includes(values.stack)) {
  process.stderr.write(`release:facts: --stack: expected one of ${STACKS.join(', ')}\n`);
  process.exit(64);
}
const stack = await openStack(values.stack as StackName);
// The live colour is the last deployment's, not git's copy of Pulumi.<stack>.yaml.
await refreshStackConfig(stack);
process.stdout.write(
  githubOutputLines(releaseFacts(await readStackOutputs(stack), await activeColour(stack))),
);
