import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { createGraphDriver } from '../../platform/graph.js';
import { graphStoreContract } from './graph-store.contract.js';
import { neo4jGraphStore } from './neo4j/neo4j-graph-store.js';
import { postgresGraphStore } from './postgres/postgres-graph-store.js';

const database = useTestDatabase('dkg_graph');
let sql: Database;
beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-graph-test', max: 4 });
  await postgresGraphStore(sql).migrate();
});
afterAll(async () => {
  await sql?.end();
});
graphStoreContract('PostgreSQL', () => postgresGraphStore(sql));

// Neo4j is the designed optional backend: no server runs on these machines, so its run of the
// same contract happens only where NEO4J_URI (and NEO4J_PASSWORD) name one. Its statements are
// linted without a server in neo4j/cypher-lint.test.ts.
const neo4jUri = process.env.NEO4J_URI;
if (neo4jUri) {
  const driver = createGraphDriver({
    uri: neo4jUri,
    user: process.env.NEO4J_USER ?? 'neo4j',
    password: process.env.NEO4J_PASSWORD ?? '',
  });
  beforeAll(async () => {
    await neo4jGraphStore(driver).migrate();
  });
  afterAll(async () => {
    await driver.close();
  });
  graphStoreContract('Neo4j', () => neo4jGraphStore(driver));
}
