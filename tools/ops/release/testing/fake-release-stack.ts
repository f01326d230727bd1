import type { ConfigMap, UpdateSummary } from '@pulumi/pulumi/automation/index.js';
import type { StackName } from '../../../../services/catalog.js';
import { type ConfigChange, PROJECT, releaseConfigOf } from '../release-config.js';
import { HISTORY_PAGE, type ReleaseStack } from '../release-stack.js';

/**
 * An in-memory stack: the local config file as nested values, each update appended to its history
 * with the config it ran. `refreshConfig` loads the last update's config over the file, as
 * `pulumi config refresh` does; a stack with no history keeps its file. `history` pages newest first,
 * `HISTORY_PAGE` updates a page, as the Automation API does.
 */
export interface FakeReleaseStack extends ReleaseStack {
  /** Each update's message, in order. */
  readonly messages: string[];
  /** The local config file as it is now (plain values, nested by path). */
  readonly state: Record<string, unknown>;
  /** A fresh checkout: the file is git's copy again (`initial`), whatever has been deployed. */
  checkout(): void;
}

export function fakeReleaseStack(
  name: StackName,
  initial: Record<string, unknown>,
  options: { history?: UpdateSummary[]; outputs?: Record<string, unknown> } = {},
): FakeReleaseStack {
  const state = structuredClone(initial);
  const history = [...(options.history ?? [])];
  // What the last update ran with: the file as given, when the stack has been deployed.
  let deployed = history.length > 0 ? structuredClone(initial) : undefined;
  const replaceState = (values: Record<string, unknown>) => {
    for (const key of Object.keys(state)) delete state[key];
    Object.assign(state, structuredClone(values));
  };
  const messages: string[] = [];
  const configMap = (): ConfigMap =>
    Object.fromEntries(
      Object.entries(state).map(([key, value]) => [
        `${PROJECT}:${key}`,
        { value: typeof value === 'string' ? value : JSON.stringify(value), secret: false },
      ]),
    );
  return {
    name,
    state,
    messages,
    checkout: () => replaceState(initial),
    refreshConfig: async () => {
      if (deployed) replaceState(deployed);
    },
    config: async () => releaseConfigOf(configMap()),
    update: async (changes: readonly ConfigChange[], message: string) => {
      for (const change of changes) applyChange(state, change);
      deployed = structuredClone(state);
      messages.push(message);
      const version = Math.max(0, ...history.map((update) => update.version)) + 1;
      const now = new Date();
      history.push({
        kind: 'update',
        result: 'succeeded',
        message,
        version,
        startTime: now,
        endTime: now,
        environment: {},
        config: configMap(),
      });
    },
    history: async (page = 1) =>
      [...history]
        .sort((a, b) => b.version - a.version)
        .slice((page - 1) * HISTORY_PAGE, page * HISTORY_PAGE),
    outputs: async () => options.outputs ?? {},
  };
}

function applyChange(state: Record<string, unknown>, change: ConfigChange) {
  const parts = change.path.split('.');
  const last = parts.pop() as string;
  let node = state;
  for (const part of parts) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  if ('remove' in change) delete node[last];
  else node[last] = change.value;
}
