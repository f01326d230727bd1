import type { Session } from 'neo4j-driver';
import { APPLIED_MIGRATIONS, MIGRATIONS, RECORD_MIGRATION } from './cypher-statements.js';

/**
 * Applies the Cypher migrations not yet recorded, in version order, each statement in a
 * transaction of its own (Neo4j does not mix schema and data changes in one), then records the
 * version as a `SchemaMigration` node. Statements are `IF NOT EXISTS`, so two replicas starting
 * at once both succeed.
 */
export async function migrateNeo4j(session: Session): Promise<void> {
  const applied = new Set(
    (await session.executeRead((tx) => tx.run(APPLIED_MIGRATIONS))).records.map((record) =>
      Number(record.get('version')),
    ),
  );
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements) {
      await session.executeWrite((tx) => tx.run(statement));
    }
    await session.executeWrite((tx) =>
      tx.run(RECORD_MIGRATION, { version: migration.version, name: migration.name }),
    );
  }
}
