import type { Database } from '../../platform/db.js';
import { NotFoundError } from '../../platform/errors.js';
import {
  evidenceOf,
  findOpportunity,
  listOpportunities,
  type OpportunityFilter,
  type OpportunityRow,
} from '../repository/opportunity-store.js';

/** A page cursor: the sort value and id of the page's last row, opaque to clients. */
export const encodeCursor = (value: string, id: string): string =>
  Buffer.from(JSON.stringify([value, id])).toString('base64url');

/** The sort value and id a cursor holds, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): { value: string; id: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      /^[0-9a-f-]{36}$/.test(parsed[1])
    )
      return { value: parsed[0], id: parsed[1] };
  } catch {
    // Not base64url JSON: not a cursor.
  }
  return undefined;
}

/** One page of opportunities and the cursor of the next (null after the last). */
export async function opportunityPage(
  sql: Database,
  filter: Omit<OpportunityFilter, 'limit'> & { limit: number },
): Promise<{ items: OpportunityRow[]; next: string | null }> {
  const rows = await listOpportunities(sql, { ...filter, limit: filter.limit + 1 });
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items,
    next: rows.length > filter.limit && last ? encodeCursor(last.sort_value, last.id) : null,
  };
}

/** An opportunity with its evidence; 404 naming the id when there is none. */
export async function opportunityWithEvidence(sql: Database, id: string) {
  const opportunity = await findOpportunity(sql, id);
  if (!opportunity) throw new NotFoundError(`opportunity ${id} does not exist`);
  return { opportunity, evidence: await evidenceOf(sql, id) };
}
