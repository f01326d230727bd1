import type { Artifact, Task } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import type { ServiceClients } from '../../../clients.js';
import type { Llm } from '../../../platform/llm/types.js';
import type { Agent } from '../../domain/agent.js';

/** One attempt of an agent's runtime at a task that is `working`. */
export interface RuntimeRun {
  readonly task: Task;
  readonly agent: Agent;
  /** The text of the task's user messages, in order. */
  readonly prompt: string;
  /** The most this attempt may spend, in AIA (decimal string): what is left of the task's budget. */
  readonly budgetAia: string;
  /** 0 for the first attempt. */
  readonly attempt: number;
  /** Aborted when the task is canceled or the attempt lost its lease: stop, change nothing. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** What a runtime answers: the task's artifacts and what producing them cost. */
export interface RuntimeAnswer {
  readonly artifacts: Artifact[];
  /** AIA spent by this attempt (decimal string; "0" for free tools). */
  readonly costAia: string;
  /** Facts worth keeping on the task (model, provider, tool), merged into its metadata. */
  readonly metadata?: Record<string, unknown>;
}

/** A failure retrying will not fix (bad input, refused by the remote agent): the task fails now. */
export class RunRefused extends Error {
  override readonly name = 'RunRefused';
}

/** What runtimes may use: the LLM layer, the ledger through the governor's client. */
export interface RuntimeDeps {
  readonly llm: Llm;
  /** Reads the agents' AIA accounts. */
  readonly governor: Pick<ServiceClients['economic-governor'], 'account'>;
}

/** Runs one attempt; a throw other than RunRefused is retried while attempts remain. */
export type Runtime = (run: RuntimeRun) => Promise<RuntimeAnswer>;
