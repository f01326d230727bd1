import type { Agent } from '../../domain/agent.js';
import { llmRuntime } from './llm-runtime.js';
import { remoteRuntime } from './remote-runtime.js';
import type { Runtime, RuntimeDeps } from './runtime.js';
import { toolRuntimes } from './tool-runtimes.js';

export {
  isQuestion,
  RunRefused,
  type Runtime,
  type RuntimeDeps,
  type RuntimeQuestion,
  type RuntimeRun,
} from './runtime.js';

/** The runtime that runs `agent`'s tasks. */
export function runtimeOf(agent: Agent, deps: RuntimeDeps): Runtime {
  const { runtime } = agent;
  switch (runtime.kind) {
    case 'llm':
      return llmRuntime(deps, runtime);
    case 'tool':
      return toolRuntimes(deps)[runtime.tool];
    case 'remote':
      return remoteRuntime(deps, runtime);
  }
}
