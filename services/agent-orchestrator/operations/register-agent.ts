import { createHash, randomUUID } from 'node:crypto';
import { ConflictError } from '../../platform/errors.js';
import {
  type IdempotencyClaim,
  type IdempotentOutcome,
  runIdempotently,
  storedReply,
} from '../../platform/idempotency/idempotent.js';
import type { Agent } from '../domain/agent.js';
import type { RegisterAgent } from '../domain/agent-schemas.js';
import { insertAgent, lockHierarchy } from '../repository/agent-store.js';
import { writeAgentRegistryEvent } from './agent-registry-event.js';
import type { Caller } from './caller.js';
import { checkModelClass } from './check-model-class.js';
import { checkRemoteCard } from './check-remote-card.js';
import { openAgentAccount } from './open-agent-account.js';
import { checkPlacement } from './placement.js';
import type { RegistryContext } from './registry-context.js';

/**
 * A UUID (version 8, name-based) from the caller and its Idempotency-Key: a retried registration
 * names the same agent, so it asks the ledger for the same account even when the first attempt
 * failed after opening it. The pair is hashed as a JSON array, so no two pairs join into the same
 * text (`a/b` + `c` and `a` + `b/c` would, with a separator).
 */
export function agentIdFor(subject: string, idempotencyKey: string): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([subject, idempotencyKey]))
    .digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Registers an agent owned by the caller. Order: replay a stored reply of the Idempotency-Key
 * (read-only, before any side effect); refuse a bad place in the hierarchy (including a
 * manager the caller does not own) first (nothing opened yet), then a remote agent whose card
 * cannot be used; open the agent's ledger account (deterministic key: a retry gets the same account);
 * then, in one transaction with the Idempotency-Key claimed and the hierarchy locked, check the
 * place again and insert. A failure after the account opened leaves an empty account, which the
 * retry of the same request reuses; never an agent without an account.
 */
export async function registerAgent(
  { sql, governor, maxDepth, outbound, modelClasses }: RegistryContext,
  caller: Caller,
  input: RegisterAgent,
  claim: IdempotencyClaim | undefined,
): Promise<IdempotentOutcome<{ status: 201; body: { agent: Agent } }>> {
  // A finished registration replays first: its manager may have retired or the ledger be down
  // since, and neither changes what the first request got.
  const stored = await storedReply(sql, claim);
  if (stored) return stored;
  checkModelClass(input.runtime, modelClasses);
  const owner = caller.subject;
  const id = claim ? agentIdFor(owner, claim.key) : randomUUID();
  const managerId = input.manager_id;
  if (managerId !== null) await checkPlacement(sql, { managerId, maxDepth, caller });
  if (input.runtime.kind === 'remote') await checkRemoteCard(input.runtime.card_url, outbound);
  const account = await openAgentAccount(governor, id);
  return runIdempotently(sql, claim, async (tx) => {
    if (managerId !== null) {
      await lockHierarchy(tx);
      await checkPlacement(tx, { managerId, maxDepth, caller });
    }
    const agent = await insertAgent(tx, {
      id,
      owner,
      name: input.name,
      description: input.description,
      version: input.version,
      skills: input.skills,
      input_modes: input.input_modes,
      output_modes: input.output_modes,
      runtime: input.runtime,
      limits: input.limits,
      manager_id: managerId,
      ledger_account_id: account.id,
    });
    // Only when the key's record was swept while the agent it named stayed.
    if (!agent)
      throw new ConflictError(`agent ${id} exists already: use another Idempotency-Key`, {
        errors: [{ field: 'Idempotency-Key', reason: 'names an agent registered earlier' }],
      });
    await writeAgentRegistryEvent(tx, agent);
    return { status: 201 as const, body: { agent } };
  });
}
