import { join } from 'node:path';
import type {
  ConfigMap,
  Stack,
  UpdateSummary,
  UpOptions,
} from '@pulumi/pulumi/automation/index.js';
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
  /**
   * One page of past updates, newest first: `HISTORY_PAGE` of them, page 1 the newest (the
   * default). `historyUntil` reads further pages.
   */
  history(page?: number): Promise<readonly StackUpdate[]>;
  /** The stack outputs (`infra/outputs.ts`), unchecked. */
  outputs(): Promise<Record<string, unknown>>;
}

const repositoryRoot = join(import.meta.dirname, '../../..');

/**
 * The policy pack every update of a release runs under (`pulumi up --policy-pack policies
 * --policy-pack-config policies/config/<stack>.preview.json`), as the pull request's preview does:
 * a mandatory violation stops the update before it changes anything. The engine's configuration
 * (`.preview.json`), because the engine hands policies decrypted values: `k8s-no-plaintext-secret`
 * is left to the offline check there (policies/README.md).
 */
export const releasePolicyPack = (
  name: StackName,
): Pick<UpOptions, 'policyPacks' | 'policyPackConfigs'> => ({
  policyPacks: [join(repositoryRoot, 'policies')],
  policyPackConfigs: [join(repositoryRoot, 'policies', 'config', `${name}.preview.json`)],
});

/**
 * The stack through Pulumi's Automation API (needs the Pulumi CLI and the stack's backend); every
 * update runs the policy pack ({@link releasePolicyPack}).
 */
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
      await stack.up({
        message,
        ...releasePolicyPack(name),
        onOutput: (line) => process.stderr.write(line),
      });
    },
    history: async (page = 1) =>
      (await stack.history(HISTORY_PAGE, page, false)).map((update) => ({
        ...update,
        config: update.config ?? ({} as ConfigMap),
      })),
    outputs: async () =>
      Object.fromEntries(
        Object.entries(await stack.outputs()).map(([key, output]) => [key, output.value]),
      ),
  };
}

/** Updates per page of the history (`pulumi stack history --page-size`). */
export const HISTORY_PAGE = 50;

/**
 * The stack's history, newest first, read page by page until `enough` says the updates read so far
 * answer the question, or the history ends: canary steps and flag changes are updates too, and can
 * push the release asked about off the first page. A page holding no update not seen before ends
 * the reading as well (a backend that ignored the page number would otherwise be read forever).
 */
export async function historyUntil(
  stack: Pick<ReleaseStack, 'history'>,
  enough: (updates: readonly StackUpdate[]) => boolean,
): Promise<StackUpdate[]> {
  const updates: StackUpdate[] = [];
  const seen = new Set<number>();
  for (let page = 1; ; page++) {
    const batch = await stack.history(page);
    const fresh = batch.filter((update) => !seen.has(update.version));
    for (const update of fresh) {
      seen.add(update.version);
      updates.push(update);
    }
    if (fresh.length === 0 || batch.length < HISTORY_PAGE || enough(updates)) return updates;
  }
}
