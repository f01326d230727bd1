import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';

/** A migrated venture-discovery database of the calling test file's own; `sql` inside tests and hooks. */
export function useDiscoveryDatabase(label: string): { readonly sql: Database } {
  const database = useTestDatabase(label);
  let sql: Database | undefined;
  beforeAll(async () => {
    sql = createDatabase({ url: database.url, applicationName: label, max: 4 });
    await migrateService(sql, 'venture-discovery');
  });
  afterAll(() => sql?.end());
  return {
    get sql() {
      if (!sql) throw new Error('the discovery database is ready only inside tests and hooks');
      return sql;
    },
  };
}
