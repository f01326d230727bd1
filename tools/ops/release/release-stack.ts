import type { ConfigMap, Stack, UpdateSummary } from '@pulumi/pulumi/automation/index.js';
import type { StackName } from '../../../services/catalog.js';
import { refreshStackConfig } from '../pulumi-stack.js';
import {
  type ConfigChange,
  PROJECT,
  type ReleaseConfig,
  releaseConfigOf,
} from './release-config.js';

/** One past update of the stack, as `stack.history()` reports it (the fields a release reads). */
export type StackUpdate = Pick<
  UpdateSummary,
  'kind' | 'result' | 'message' | 'version' | 'startTime' | 'config'
>;

/**
 * What the release commands do to a stack, and nothing more: the Automation API behind it
 * (`automationReleaseStack`), an in-memory stack in tests (`testing/fake-release-stack.ts`).
 */
export interface ReleaseStack {
  readonly name: StackName;
  /**
   * Replaces the local configuration (`Pulumi.<stack>.yaml`) with the one the stack's last update
   * ran with (`pulumi config refresh`); a stack never deployed keeps its file. Every command calls
   * it before reading config: git's copy of the file is not what runs after the first release.
   */
  refreshConfig(): Promise<void>;
  /** The release keys of the stack's current configuration. */
  config(): Promise<ReleaseConfig>;
  /** Sets and removes config keys, then `pulumi up` with `message` (it shows in the history). */
  update(changes: readonly ConfigChange[], message: string): Promise<void>;
  /** Past updates, any order. */
  history(): Promise<readonly StackUpdate[]>;
  /** The stack outputs (`infra/outputs.ts`), unchecked. */
  outputs(): Promise<Record<string, unknown>>;
}

/** The stack through Pulumi's Automation API (needs the Pulumi CLI and the stack's backend). */
export function automationReleaseStack(name: StackName, stack: Stack): ReleaseStack {
  return {
    name,
    refreshConfig: () => refreshStackConfig(stack),
    config: async () => releaseConfigOf(await stack.getAllConfig()),
    update: async (changes, message) => {
      for (const change of changes) {
        const key = `${PROJECT}:${change.path}`;
        // With a path, Pulumi stores "true", "false" and integers as YAML booleans and numbers.
        if ('remove' in change) await stack.removeConfig(key, true);
        else await stack.setConfig(key, { value: String(change.value) }, true);
      }
      await stack.up({ message, onOutput: (line) => process.stderr.write(line) });
    },
    history: async () =>
      (await stack.history(HISTORY_PAGE, 1, false)).map((update) => ({
        ...update,
        config: update.config ?? ({} as ConfigMap),
      })),
    outputs: async () =>
      Object.fromEntries(
        Object.entries(await stack.outputs()).map(([key, output]) => [key, output.value]),
      ),
  };
}

/** Updates read from the history: enough to find the digest before the last few releases. */
const HISTORY_PAGE = 50;
