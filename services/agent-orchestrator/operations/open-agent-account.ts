import { AppError, ServiceUnavailableError } from '../../platform/errors.js';
import {
  ServiceProblemError,
  ServiceUnavailableError as UpstreamUnavailableError,
} from '../../platform/service-client/index.js';
import type { RegistryContext } from './registry-context.js';

/** The Idempotency-Key of the ledger account opened for agent `id`. */
export const agentAccountKey = (id: string): string => `agent-account-${id}`;

/**
 * Opens agent `id`'s AIA account in the ledger, owned by this service. The key is the agent's:
 * asked again (a retry), the ledger answers the same account. A ledger that does not answer is a
 * 503 the caller may retry; one that refuses is a 502 naming its problem.
 */
export async function openAgentAccount(
  governor: RegistryContext['governor'],
  id: string,
): Promise<{ id: string }> {
  try {
    return await governor.openAccount(
      { ledger: 'AIA', memo: `agent ${id}` },
      { idempotencyKey: agentAccountKey(id) },
    );
  } catch (error) {
    if (error instanceof UpstreamUnavailableError)
      throw new ServiceUnavailableError(
        `the ledger is unavailable (${error.reason.replaceAll('_', ' ')}): the agent was not registered; retry`,
      );
    if (error instanceof ServiceProblemError)
      throw new AppError(
        502,
        'ledger_refused',
        `the ledger refused the agent's account: ${error.message}`,
        {
          cause: error,
        },
      );
    throw error;
  }
}
