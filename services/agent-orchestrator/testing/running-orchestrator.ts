import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import {
  type GovernorServer,
  startGovernorServer,
} from '../../../test/service-clients/governor-server.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { registryApp } from './registry-app.js';

/**
 * For a test file: the orchestrator module started (its run queue included) on a database of its
 * own, with a real governor on another, both stopped after the file. Read the fields in tests.
 * `env` adds to the service's environment.
 */
export function useRunningOrchestrator(
  name: string,
  { env }: { env?: Record<string, string> } = {},
) {
  const database = useTestDatabase(`orchestrator_${name}`);
  const ledgerDatabase = useTestDatabase(`orchestrator_${name}_ledger`);
  const running = {} as {
    /** The orchestrator's database and the governor's, for tests that look inside. */
    databaseUrls: { orchestrator: string; governor: string };
    governor: GovernorServer;
    sql: Database;
    orchestrator: ReturnType<typeof registryApp>;
  };
  beforeAll(async () => {
    running.databaseUrls = { orchestrator: database.url, governor: ledgerDatabase.url };
    running.governor = await startGovernorServer(ledgerDatabase.url);
    running.sql = createDatabase({
      url: database.url,
      applicationName: 'orchestrator-test',
      max: 4,
    });
    await migrateService(running.sql, 'agent-orchestrator');
    running.orchestrator = registryApp(running.sql, {
      governorUrl: running.governor.url,
      databaseUrl: database.url,
      ...(env ? { env } : {}),
    });
    await running.orchestrator.parts.start?.();
  });
  afterAll(async () => {
    await running.orchestrator?.parts.stop?.();
    await running.sql?.end();
    await running.governor?.stop();
  });
  return running;
}
