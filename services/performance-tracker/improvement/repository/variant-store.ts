import type { Database } from '../../../platform/db.js';
import type { LineageStatus, Variant, VariantKind } from '../domain/variant.js';

interface VariantColumns {
  id: string;
  parent_agent_id: string;
  kind: VariantKind;
  description: string;
  skill: string;
  variant_agent_id: string | null;
  settings: Record<string, unknown> | null;
  lineage_status: LineageStatus;
  lineage_error: string | null;
  created_by: string;
  created_at: Date;
}

const variantOf = (row: VariantColumns): Variant => ({
  id: row.id,
  parentAgentId: row.parent_agent_id,
  kind: row.kind,
  description: row.description,
  skill: row.skill,
  variantAgentId: row.variant_agent_id,
  settings: row.settings,
  lineageStatus: row.lineage_status,
  lineageError: row.lineage_error,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
});

/** Keeps a new variant (its id chosen by the caller). */
export async function insertVariant(tx: Database, variant: Omit<Variant, 'createdAt'>) {
  const [row] = await tx<VariantColumns[]>`
    insert into tracker_variants (id, parent_agent_id, kind, description, skill, variant_agent_id,
                                  settings, lineage_status, lineage_error, created_by)
    values (${variant.id}, ${variant.parentAgentId}, ${variant.kind}, ${variant.description},
            ${variant.skill}, ${variant.variantAgentId},
            ${variant.settings === null ? null : tx.json(variant.settings as never)},
            ${variant.lineageStatus}, ${variant.lineageError}, ${variant.createdBy})
    returning *`;
  return variantOf(row as VariantColumns);
}

/** A variant by id. */
export async function findVariant(sql: Database, id: string): Promise<Variant | undefined> {
  const [row] = await sql<VariantColumns[]>`select * from tracker_variants where id = ${id}`;
  return row ? variantOf(row) : undefined;
}

/** An agent's variants, oldest first, after variant `after` when given; one more than `limit` tells of another page. */
export async function variantsOf(
  sql: Database,
  parentAgentId: string,
  { limit, after }: { readonly limit: number; readonly after?: string },
): Promise<{ variants: Variant[]; more: boolean }> {
  const rows = await sql<VariantColumns[]>`
    select * from tracker_variants
     where parent_agent_id = ${parentAgentId}
       ${
         after === undefined
           ? sql``
           : sql`and (created_at, id) > (select created_at, id from tracker_variants where id = ${after})`
       }
     order by created_at, id limit ${limit + 1}`;
  return { variants: rows.slice(0, limit).map(variantOf), more: rows.length > limit };
}

/** Variants whose lineage the knowledge graph has not taken yet, oldest first. */
export async function pendingLineage(sql: Database, limit: number): Promise<Variant[]> {
  const rows = await sql<VariantColumns[]>`
    select * from tracker_variants where lineage_status = 'pending'
     order by created_at limit ${limit}`;
  return rows.map(variantOf);
}

/** Records where a variant's lineage stands now. */
export async function setLineage(
  sql: Database,
  id: string,
  status: LineageStatus,
  error: string | null,
): Promise<void> {
  await sql`update tracker_variants set lineage_status = ${status}, lineage_error = ${error} where id = ${id}`;
}
