import { describe, expect, it } from 'vitest';
import { ServiceProblemError } from '../../../platform/service-client/index.js';
import type { Agent } from '../../domain/agent.js';
import type { DelegationDeps } from './delegation-deps.js';
import { reserveBudget } from './reserve-budget.js';

const agent = (id: string) => ({ id, ledger_account_id: `${id}-account` }) as Agent;

/** A ledger that answers every transfer with the problem `code` (HTTP `status`), recording the request. */
function ledgerAnswering(status: number, code: string) {
  const sent: unknown[] = [];
  const governor = {
    transfer: async (input: unknown) => {
      sent.push(input);
      throw new ServiceProblemError('economic-governor', status, {
        type: `urn:aia:problem:${code}`,
        title: code,
        status,
        detail: `refused: ${code}`,
      });
    },
  } as unknown as DelegationDeps['governor'];
  return { governor, sent };
}

const reserve = (governor: DelegationDeps['governor'], deadline = new Date(Date.now() + 60_000)) =>
  reserveBudget(
    { governor },
    { parent: agent('p'), child: agent('c'), childTaskId: 'child-1', budgetAia: '2', deadline },
  );

describe('reserving a child budget', () => {
  it("takes the ledger's rules as a refusal naming why", async () => {
    for (const code of ['exceeds_credits', 'account_not_found', 'exists_with_different_fields']) {
      const { governor } = ledgerAnswering(code === 'account_not_found' ? 422 : 409, code);
      const answer = await reserve(governor);
      expect(answer).toMatchObject({ reserved: false });
      expect(answer.reserved === false && answer.reason).toContain(`refused: ${code}`);
    }
  });

  it('throws (so the step is retried) on rate limits, auth failures and outages', async () => {
    for (const [status, code] of [
      [429, 'rate_limited'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [503, 'service_unavailable'],
    ] as const) {
      const { governor } = ledgerAnswering(status, code);
      await expect(reserve(governor)).rejects.toBeInstanceOf(ServiceProblemError);
    }
  });

  it("never asks for a pending timeout beyond the ledger's 30 days", async () => {
    const { governor, sent } = ledgerAnswering(409, 'exceeds_credits');
    await reserve(governor, new Date(Date.now() + 40 * 24 * 3_600_000));
    expect(sent[0]).toMatchObject({
      id: 'child-1',
      amount: '2',
      pending: { timeout_seconds: 2_592_000 },
    });
  });
});
