import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';

/** A migrated tracker database of the calling test file's own; `sql` inside tests and hooks. */
export function useTrackerDatabase(label: string, max = 4): { readonly sql: Database } {
  const database = useTestDatabase(label);
  let sql: Database | undefined;
  beforeAll(async () => {
    sql = createDatabase({ url: database.url, applicationName: label, max });
    await migrateService(sql, 'performance-tracker');
  });
  afterAll(() => sql?.end());
  return {
    get sql() {
      if (!sql) throw new Error('the tracker database is ready only inside tests and hooks');
      return sql;
    },
  };
}
