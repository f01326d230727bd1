import type { z } from '@hono/zod-openapi';
import { ValidationError } from '../../../platform/errors.js';
import { amountField } from '../../routes/commands.js';
import type { ProposalKind } from '../domain/proposal-kinds.js';
import type { ProposalActionSchema } from './governance-schemas.js';

type Action = z.output<typeof ProposalActionSchema>;

const FIELDS: Record<ProposalKind, readonly (keyof Action)[]> = {
  treasury_transfer: ['to_account_id', 'amount', 'ledger'],
  parameter_change: ['name', 'value'],
  text: [],
};

/**
 * The action a proposal of `kind` carries, every field it needs present and no other (422 naming
 * `action.<field>`): a transfer's amount is checked against its ledger's scale here.
 */
export function proposalAction(
  kind: ProposalKind,
  action: Action | undefined,
): Record<string, string> | undefined {
  const wanted = FIELDS[kind];
  if (wanted.length === 0) {
    if (action !== undefined) {
      throw new ValidationError([{ field: 'action', reason: 'a text proposal has no action' }]);
    }
    return undefined;
  }
  const given = action ?? {};
  const issues = [
    ...wanted
      .filter((field) => given[field] === undefined)
      .map((field) => ({ field: `action.${field}`, reason: `required for a ${kind}` })),
    ...(Object.keys(given) as (keyof Action)[])
      .filter((field) => !wanted.includes(field))
      .map((field) => ({ field: `action.${field}`, reason: `not part of a ${kind}` })),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
  if (kind === 'treasury_transfer' && given.ledger && given.amount) {
    amountField(given.amount, given.ledger, 'action.amount');
  }
  return Object.fromEntries(wanted.map((field) => [field, String(given[field])]));
}
