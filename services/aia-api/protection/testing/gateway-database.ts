import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../../platform/db.js';
import { migrateService } from '../../../platform/migrations.js';

/**
 * A migrated gateway database of the calling test file's own (as the harness's admin, a
 * superuser: tests may bypass the audit table's triggers); `sql` and `url` inside tests and hooks.
 */
export function useGatewayDatabase(label: string): {
  readonly sql: Database;
  readonly url: string;
} {
  const database = useTestDatabase(label);
  let sql: Database | undefined;
  beforeAll(async () => {
    sql = createDatabase({ url: database.url, applicationName: label, max: 8 });
    await migrateService(sql, 'aia-api');
  });
  afterAll(() => sql?.end());
  return {
    get sql() {
      if (!sql) throw new Error('the gateway database is ready only inside tests and hooks');
      return sql;
    },
    get url() {
      return database.url;
    },
  };
}
