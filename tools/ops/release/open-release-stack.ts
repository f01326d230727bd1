import { STACKS, type StackName } from '../../../services/catalog.js';
import { openStack } from '../pulumi-stack.js';
import { automationReleaseStack, type ReleaseStack } from './release-stack.js';

/** The `--stack` flag's value, or an error naming the flag and the stacks there are. */
export function stackArg(value: string | undefined): StackName {
  if (value && (STACKS as readonly string[]).includes(value)) return value as StackName;
  throw new Error(`--stack: expected one of ${STACKS.join(', ')}, got "${value ?? ''}"`);
}

/** Opens a stack for the release commands: the Automation API, which needs the Pulumi CLI. */
export type OpenReleaseStack = (name: StackName) => Promise<ReleaseStack>;

export const openReleaseStack: OpenReleaseStack = async (name) => {
  const stack = await openStack(name).catch((error: Error) => {
    const cause = /ENOENT/.test(error.message)
      ? 'the Pulumi CLI is not installed'
      : (error.message.split('\n')[0] ?? 'unknown error');
    throw new Error(
      `cannot open stack ${name} (${cause}): install Pulumi and log in to its backend`,
    );
  });
  return automationReleaseStack(name, stack);
};

/**
 * Opens the stack and loads the config of its last deployment over the local file: what every
 * release command reads and changes. Git's `Pulumi.<stack>.yaml` is never written back, so after
 * the first release its live colour and image are stale.
 */
export async function openAtLastDeployment(io: CommandIo, name: StackName): Promise<ReleaseStack> {
  const stack = await io.open(name);
  await stack.refreshConfig();
  return stack;
}

/** Where the release commands write: stdout for results, stderr for progress. */
export interface CommandIo {
  readonly open: OpenReleaseStack;
  readonly out: (text: string) => void;
}

export const processIo: CommandIo = {
  open: openReleaseStack,
  out: (text) => {
    process.stdout.write(text);
  },
};
