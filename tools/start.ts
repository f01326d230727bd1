import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import pino from 'pino';
import { catalog, type ServiceName, serviceDefinition, serviceNames } from '../services/catalog.js';
import { serviceModules } from '../services/modules.js';
import { ConfigError } from '../services/platform/config.js';
import { type RunningService, startService } from '../services/platform/runtime.js';
import { onTerminationSignals } from '../services/platform/shutdown.js';
import { startLocalPostgres, startLocalRedis } from './local-stack/data-stores.js';
import { loadDevSecrets } from './local-stack/dev-secrets.js';
import { gitRevision } from './local-stack/git-revision.js';
import { ensureServiceDatabases } from './local-stack/service-databases.js';

/**
 * `npm start`: every service on its catalog port with embedded defaults. Without DATABASE_URL a
 * local PostgreSQL keeps its data in .data/postgres; without REDIS_URL a local redis-server is
 * started when installed. Service logs go to .data/logs/<service>.log. Ctrl-C stops everything.
 */
const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.AIA_DATA_DIR ?? join(root, '.data'));
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const stoppables: (() => Promise<void>)[] = [];
  const running: RunningService[] = [];
  onTerminationSignals(async () => {
    say('\nstopping…');
    await Promise.all(running.map((service) => service.stop()));
    for (const stop of stoppables.reverse()) await stop();
    say('stopped');
    return 0;
  });

  const postgres = await startLocalPostgres(dataDir, say);
  if (postgres.stop) stoppables.push(postgres.stop);
  const redis = await startLocalRedis(dataDir, say);
  if (redis?.stop) stoppables.push(redis.stop);

  const usesPostgres = serviceNames.filter((name) =>
    serviceDefinition(name).dataStores.includes('postgres'),
  );
  const databaseUrls = process.env.DATABASE_URL
    ? Object.fromEntries(usesPostgres.map((name) => [name, process.env.DATABASE_URL as string]))
    : await ensureServiceDatabases(postgres.url, usesPostgres);
  const secrets = await loadDevSecrets(join(dataDir, 'secrets.json'));
  const revision = gitRevision(root);

  say('▸ services');
  for (const name of serviceNames) {
    const env = {
      ENVIRONMENT: 'development',
      GIT_REVISION: revision,
      ...secrets,
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...(databaseUrls[name] ? { DATABASE_URL: databaseUrls[name] } : {}),
      ...process.env,
      PORT: String(catalog[name].port),
    };
    const logFile = join(dataDir, 'logs', `${name}.log`);
    const service = await startService(name as ServiceName, {
      env,
      ...serviceModules[name],
      logDestination: pino.destination({ dest: logFile, mkdir: true, sync: false }),
    });
    running.push(service);
    say(`  ✓ ${name.padEnd(20)} ${service.url}`);
  }
  say(
    `\nAll ${running.length} services are up. Logs: ${relative(process.cwd(), join(dataDir, 'logs'))}/`,
  );
  say(`Try: curl ${running[0]?.url}/readyz    Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError || error instanceof Error ? `\n✗ ${error.message}` : error,
  );
  process.exit(1);
});
