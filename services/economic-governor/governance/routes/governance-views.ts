import { proposalState } from '../domain/proposal-kinds.js';
import type { ParameterRow } from '../repository/parameter-store.js';
import type { ProposalRow } from '../repository/proposal-store.js';
import type { VoterRow } from '../repository/voter-store.js';

export const voterView = (row: VoterRow) => ({
  account_id: row.account_id,
  commitment: row.commitment,
  registration_id: row.registration_id,
  registered_at: row.registered_at.toISOString(),
});

function tallyView(row: ProposalRow) {
  if (row.votes_for === null || row.votes_against === null || row.votes_abstain === null) {
    return {};
  }
  const total = BigInt(row.votes_for) + BigInt(row.votes_against) + BigInt(row.votes_abstain);
  return {
    tally: {
      for: row.votes_for,
      against: row.votes_against,
      abstain: row.votes_abstain,
      total: total.toString(),
      quorum_reached: total >= BigInt(row.quorum),
    },
  };
}

export const proposalView = (row: ProposalRow) => ({
  id: row.id,
  proposal_field: row.proposal_field,
  proposer_account_id: row.proposer_account_id,
  title: row.title,
  body: row.body,
  kind: row.kind,
  action: row.action,
  quorum: row.quorum,
  modes: row.modes,
  state: proposalState(row, row.now),
  root: row.snapshot_root,
  size: row.snapshot_size,
  opened_at: row.opened_at.toISOString(),
  closes_at: row.closes_at.toISOString(),
  ...tallyView(row),
  ...(row.executes_at ? { executes_at: row.executes_at.toISOString() } : {}),
  ...(row.executed_at ? { executed_at: row.executed_at.toISOString() } : {}),
  ...(row.execution_transfer_id ? { execution_transfer_id: row.execution_transfer_id } : {}),
  ...(row.execution_refusal ? { execution_refusal: row.execution_refusal } : {}),
  ...(row.voided_reason ? { voided_reason: row.voided_reason } : {}),
});

export const parameterView = (row: ParameterRow) => ({
  name: row.name,
  value: row.value,
  proposal_id: row.proposal_id,
  set_at: row.set_at.toISOString(),
});
