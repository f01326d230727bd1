import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testJwtEnv } from '../../../test/harness/jwt.js';
import { LogCapture } from '../../../test/harness/kit-app.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import {
  type ModuleServer,
  startModuleServer,
} from '../../../test/service-clients/module-server.js';
import { findFreePort } from '../../../tools/local-servers/index.js';
import { useRunningOrchestrator } from '../../agent-orchestrator/testing/running-orchestrator.js';
import { serviceDefinition } from '../../catalog.js';
import { serviceModules } from '../../modules.js';
import { type RunningService, startService } from '../../platform/runtime.js';
import { aiaApiModule } from '../module.js';

/**
 * For a test file (`await` it at the top): every service running for real (each on a database of its own; the governor
 * the orchestrator's) and the gateway in front of them on a free port, all stopped after the
 * file. `gateway.url` is where a client goes; the cards of the orchestrator's agents name it.
 */
const gatewayHasDatabase = serviceDefinition('aia-api').dataStores.includes('postgres');

export async function usePlatformBehindGateway(
  name: string,
  { gatewayEnv = {} }: { gatewayEnv?: Record<string, string> } = {},
) {
  const gatewayPort = await findFreePort();
  const orchestrator = useRunningOrchestrator(`${name}_gateway`, {
    env: { A2A_PUBLIC_URL: `http://127.0.0.1:${gatewayPort}/v1` },
  });
  const dkgDatabase = useTestDatabase(`${name}_dkg`);
  const trackerDatabase = useTestDatabase(`${name}_tracker`);
  const venturesDatabase = useTestDatabase(`${name}_ventures`);
  const gatewayDatabase = useTestDatabase(`${name}_gateway`);
  const redis = useTestRedis();
  const gatewayLogs = new LogCapture();
  const running = {} as {
    gateway: RunningService;
    /** `<SERVICE>_URL` of each upstream running. */
    upstreams: Record<string, string>;
    /** Each running service's database, by service name. */
    databaseUrls: Record<string, string>;
    /** Every line logged so far by the gateway and the services started over HTTP here. */
    logs(): string;
    /** The Redis the gateway uses (its rate limits and the event bus it reads). */
    redisUrl: string;
  };
  const modules: ModuleServer[] = [];
  let orchestratorServer: Server | undefined;

  beforeAll(async () => {
    running.databaseUrls = {
      'agent-orchestrator': orchestrator.databaseUrls.orchestrator,
      'economic-governor': orchestrator.databaseUrls.governor,
      ...(gatewayHasDatabase ? { 'aia-api': gatewayDatabase.url } : {}),
    };
    running.redisUrl = redis.url;
    running.logs = () => [gatewayLogs.text, ...modules.map((module) => module.logs())].join('\n');
    const started = await Promise.all(
      (
        [
          ['DKG_MANAGER_URL', 'dkg-manager', dkgDatabase],
          ['PERFORMANCE_TRACKER_URL', 'performance-tracker', trackerDatabase],
          ['VENTURE_DISCOVERY_URL', 'venture-discovery', venturesDatabase],
        ] as const
      )
        // A service whose module has not landed yet answers nothing (the gateway's 503).
        .filter(([, service]) => serviceModules[service])
        .map(async ([variable, service, database]) => {
          const server = await startModuleServer(service, database.url);
          modules.push(server);
          running.databaseUrls[service] = database.url;
          return [variable, server.url] as const;
        }),
    );
    orchestratorServer = await new Promise<Server>((resolve) => {
      const started = serve(
        { fetch: orchestrator.orchestrator.app.fetch, hostname: '127.0.0.1', port: 0 },
        () => resolve(started as Server),
      ) as Server;
    });
    running.upstreams = {
      ECONOMIC_GOVERNOR_URL: orchestrator.governor.url,
      AGENT_ORCHESTRATOR_URL: `http://127.0.0.1:${(orchestratorServer.address() as AddressInfo).port}`,
      ...Object.fromEntries(started),
    };
    running.gateway = await startService('aia-api', {
      env: {
        PORT: String(gatewayPort),
        HOST: '127.0.0.1',
        ...testJwtEnv,
        REDIS_URL: redis.url,
        ...running.upstreams,
        ...(gatewayHasDatabase ? { DATABASE_URL: gatewayDatabase.url } : {}),
        ...gatewayEnv,
      },
      module: aiaApiModule,
      logDestination: gatewayLogs,
    });
  });
  afterAll(async () => {
    await running.gateway?.stop();
    if (orchestratorServer) await new Promise((resolve) => orchestratorServer?.close(resolve));
    await Promise.all(modules.map((module) => module.stop()));
  });
  return running;
}
