import { join } from 'node:path';
import { LocalWorkspace, type Stack } from '@pulumi/pulumi/automation/index.js';
import { type StackOutputs, stackOutputsSchema } from '../../infra/outputs.js';
import type { StackName } from '../../services/catalog.js';

const PROJECT = 'aia-platform';
const repositoryRoot = join(import.meta.dirname, '../..');

/** The stack through Pulumi's Automation API, on this repository's program (needs the Pulumi CLI). */
export const openStack = (stack: StackName): Promise<Stack> =>
  LocalWorkspace.selectStack({ stackName: stack, workDir: repositoryRoot });

/** The stack's outputs, checked against the output contract (`infra/outputs.ts`). */
export async function readStackOutputs(stack: Stack): Promise<StackOutputs> {
  const outputs = Object.fromEntries(
    Object.entries(await stack.outputs()).map(([key, output]) => [key, output.value]),
  );
  return stackOutputsSchema.parse(outputs);
}

/**
 * Overwrites the stack's local config file with the config of its last update (`pulumi config
 * refresh --force`), so what follows reads what is deployed, not git's copy of the file. A stack
 * with no update yet keeps its file: the first deploy starts from git's config.
 */
export async function refreshStackConfig(stack: Stack): Promise<void> {
  const updates = await stack.history(1, 1, false);
  if (updates.length === 0) return;
  await stack.refreshConfig();
}

/** The colour the stable Service of the blue-green services routes to (`services.activeColor`). */
export async function activeColour(stack: Stack): Promise<'blue' | 'green'> {
  const value = await stack
    .getConfig(`${PROJECT}:services.activeColor`, true)
    .then((config) => config.value)
    .catch(() => 'blue');
  return value === 'green' ? 'green' : 'blue';
}

export const otherColour = (colour: 'blue' | 'green') => (colour === 'blue' ? 'green' : 'blue');
