import { AppError, ServiceUnavailableError } from '../../../platform/errors.js';
import {
  ServiceProblemError,
  ServiceUnavailableError as UpstreamUnavailableError,
} from '../../../platform/service-client/index.js';
import type { AgentAccounts } from '../../epochs/operations/agent-accounts.js';

const BAD_GATEWAY = 502;

/**
 * The fields of a registration naming agents the orchestrator does not know: the parent (the
 * path's `id`) and the variant agent (`variant_agent_id`), each asked for once. A variant of an
 * unknown agent could never be evaluated: every run of it would count as failed.
 * @throws ServiceUnavailableError (503) when the orchestrator gives no answer, AppError (502)
 *   when it refuses to answer.
 */
export async function unknownAgentIssues(
  agents: AgentAccounts,
  named: readonly { readonly field: string; readonly agentId: string | undefined }[],
): Promise<{ field: string; reason: string }[]> {
  const found = await Promise.all(
    named.map(async ({ field, agentId }) =>
      agentId === undefined || (await agents.accountOf(agentId).catch(upstreamError)) !== null
        ? undefined
        : { field, reason: `the agent orchestrator knows no agent ${agentId}` },
    ),
  );
  return found.filter((issue) => issue !== undefined);
}

function upstreamError(error: unknown): never {
  if (error instanceof UpstreamUnavailableError)
    throw new ServiceUnavailableError(`${error.message}: cannot check the agents; retry`);
  if (error instanceof ServiceProblemError)
    throw new AppError(
      BAD_GATEWAY,
      'upstream_refused',
      `cannot check the agents: ${error.message}`,
      {
        cause: error,
      },
    );
  throw error;
}
