import postgres from 'postgres';

/** Each table of a database (schema-qualified) → a digest of all its rows. */
export type Fingerprint = Record<string, string>;

/**
 * A digest of every row of every table of the database at `url`: two fingerprints differ exactly
 * where a row was added, removed or changed.
 */
export async function fingerprint(url: string): Promise<Fingerprint> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`
      SELECT format('%I.%I', table_schema, table_name) AS name
        FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`;
    const digests: Fingerprint = {};
    for (const { name } of tables) {
      const [row] = await sql.unsafe<{ digest: string }[]>(
        `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM ${name} t`,
      );
      digests[name] = row?.digest ?? '';
    }
    return digests;
  } finally {
    await sql.end();
  }
}

/** The tables whose digest differs between two fingerprints (or exists in one only). */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
