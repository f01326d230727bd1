import { afterAll, beforeAll } from 'vitest';
import { createServiceClients } from '../../services/clients.js';
import { useTestDatabase } from '../harness/databases.js';
import { testServiceKeys } from '../harness/jwt.js';
import { type ModuleServer, startModuleServer } from './module-server.js';

/**
 * For a test file: a DKG manager over HTTP on a database of its own, stopped after the file, and
 * the orchestrator's client of it as the kit builds it (its service token, scope `dkg:read`).
 */
export function useDkgServer(name: string) {
  const database = useTestDatabase(name);
  const running = {} as {
    server: ModuleServer;
    /** The orchestrator's DKG manager client. */
    orchestratorClient: () => ReturnType<typeof createServiceClients>['dkg-manager'];
  };
  beforeAll(async () => {
    running.server = await startModuleServer('dkg-manager', database.url);
    running.orchestratorClient = () =>
      createServiceClients({
        service: 'agent-orchestrator',
        config: {
          JWT_ISSUER: 'aia-platform',
          SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'],
          DKG_MANAGER_URL: running.server.url,
        },
      })['dkg-manager'];
  });
  afterAll(() => running.server?.stop());
  return running;
}
