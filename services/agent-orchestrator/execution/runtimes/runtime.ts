import type { Artifact, Task } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import type { ServiceClients } from '../../../clients.js';
import type { DkgManagerClient } from '../../../dkg-manager/client.js';
import type { Llm } from '../../../platform/llm/types.js';
import type { OutboundPolicy } from '../../../platform/outbound/public-fetch.js';
import type { ServiceTokenSource } from '../../../platform/service-identity/service-token.js';
import type { VentureDiscoveryClient } from '../../../venture-discovery/client.js';
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
  /** Whether the task has ended here (a cancel, a deadline), as opposed to this attempt alone stopping. */
  readonly ended: () => Promise<boolean>;
  readonly logger: Logger;
  /**
   * The sender's answer when the task had asked for input (input-required or auth-required) and
   * is resumed: its message id (stable across attempts) and its text.
   */
  readonly resume?: ResumeMessage | undefined;
}

/** The message that resumed a task waiting for its sender. */
export interface ResumeMessage {
  readonly messageId: string;
  readonly text: string;
}

/** What a runtime answers: the task's artifacts and what producing them cost. */
export interface RuntimeAnswer {
  readonly artifacts: Artifact[];
  /** AIA spent by this attempt (decimal string; "0" for free tools). */
  readonly costAia: string;
  /** Facts worth keeping on the task (model, provider, tool), merged into its metadata. */
  readonly metadata?: Record<string, unknown>;
}

/**
 * What a runtime answers when it cannot go on without its sender: the task waits in `state`
 * with `question` as its status message until a message continues it.
 */
export interface RuntimeQuestion {
  readonly question: string;
  readonly state: 'input-required' | 'auth-required';
  /** AIA spent by this attempt so far. */
  readonly costAia: string;
  readonly metadata?: Record<string, unknown>;
}

/** Whether a runtime's result asks the sender instead of answering. */
export const isQuestion = (result: RuntimeAnswer | RuntimeQuestion): result is RuntimeQuestion =>
  'question' in result;

/** A failure retrying will not fix (bad input, refused by the remote agent): the task fails now. */
export class RunRefused extends Error {
  override readonly name = 'RunRefused';
}

/**
 * Where this platform's own agents are reached, and the service's identity there: a remote agent
 * whose card names an interface on one of these origins is called with the orchestrator's own
 * service token, and the cost it reports is trusted.
 */
export interface PlatformIdentity {
  /** Origins of this platform's A2A interfaces, such as `A2A_PUBLIC_URL` (`https://api.aia.example`). */
  readonly origins: readonly string[];
  /** The service's tokens (the kit's `serviceTokens`); remote calls ask for audience `agent-orchestrator`. */
  readonly tokens: ServiceTokenSource;
}

/**
 * What runtimes may use: the LLM layer, the ledger through the governor's client, the outbound
 * address rule for remote agents, and the platform's own identity for its own agents.
 */
export interface RuntimeDeps {
  readonly llm: Llm;
  /** Reads the agents' AIA accounts. */
  readonly governor: Pick<ServiceClients['economic-governor'], 'account'>;
  /** Which addresses remote agents' cards and interfaces may be at (`PUSH_ALLOW_PRIVATE_ADDRESSES`). */
  readonly outbound: OutboundPolicy;
  /** Absent: remote agents are called without a token. */
  readonly platform?: PlatformIdentity;
  /**
   * The knowledge graph, through the DKG manager's client: the `knowledge-graph` tool reads it,
   * and delegation ranks agents by skill with it. Absent: that tool refuses, and skills are
   * matched on the agents' cards.
   */
  readonly dkg?: Pick<DkgManagerClient, 'search' | 'neighbourhood' | 'rankAgents'> | undefined;
  /**
   * The Venture Discovery Engine, through its client: the `venture-discovery` tool starts runs and
   * reads their opportunities. Absent: that tool refuses.
   */
  readonly ventureDiscovery?:
    | Pick<VentureDiscoveryClient, 'startRun' | 'run' | 'opportunities'>
    | undefined;
}

/** Runs one attempt; a throw other than RunRefused is retried while attempts remain. */
export type Runtime = (run: RuntimeRun) => Promise<RuntimeAnswer | RuntimeQuestion>;
