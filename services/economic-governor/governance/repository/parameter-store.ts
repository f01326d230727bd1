import type { JSONValue } from 'postgres';
import type { Database } from '../../../platform/db.js';

export interface ParameterRow {
  name: string;
  value: JSONValue;
  proposal_id: string;
  set_at: Date;
}

/** Sets a parameter to the value a passed proposal chose; a later proposal overwrites it. */
export async function setParameter(
  sql: Database,
  parameter: { name: string; value: JSONValue; proposalId: string },
): Promise<void> {
  await sql`
    insert into governance_parameters (name, value, proposal_id)
    values (${parameter.name}, ${sql.json(parameter.value)}, ${parameter.proposalId})
    on conflict (name) do update
       set value = excluded.value, proposal_id = excluded.proposal_id, set_at = now()`;
}

export async function listParameters(sql: Database): Promise<ParameterRow[]> {
  return sql<ParameterRow[]>`select * from governance_parameters order by name`;
}
