import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { catalog, serviceDefinition, serviceNames } from '../services/catalog.js';
import { onTerminationSignals } from '../services/platform/shutdown.js';
import { startLocalPostgres, startLocalRedis } from './local-stack/data-stores.js';
import { devSecretsFor, loadDevSecrets } from './local-stack/dev-secrets.js';
import { gitRevision } from './local-stack/git-revision.js';
import { ensureServiceDatabases } from './local-stack/service-databases.js';
import { type Supervised, supervise } from './local-stack/supervisor.js';

/**
 * `npm start`: every service on its catalog port with embedded defaults, each in a process of its
 * own that is started again (and says so) when it dies. Without DATABASE_URL a local PostgreSQL
 * keeps its data in .data/postgres; without REDIS_URL a local redis-server is started when
 * installed. Service logs go to .data/logs/<service>.log. Ctrl-C stops everything.
 */
const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.AIA_DATA_DIR ?? join(root, '.data'));
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const stoppables: (() => Promise<void>)[] = [];
  const running: Supervised[] = [];
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
    const port = catalog[name].port;
    const env = {
      ENVIRONMENT: 'development',
      GIT_REVISION: revision,
      // The secrets its schema names: a signing key reaches its owner only.
      ...devSecretsFor(secrets, name),
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...(databaseUrls[name] ? { DATABASE_URL: databaseUrls[name] } : {}),
      ...process.env,
      PORT: String(port),
    };
    running.push(
      await supervise({
        name,
        command: [process.execPath, '--import', 'tsx', join(root, 'services/main.ts'), name],
        env,
        healthUrl: `http://127.0.0.1:${port}/healthz`,
        logFile: join(dataDir, 'logs', `${name}.log`),
        say,
      }),
    );
    say(`  ✓ ${name.padEnd(20)} http://127.0.0.1:${port}`);
  }
  say(
    `\nAll ${running.length} services are up; one that dies is started again. Logs: ${relative(process.cwd(), join(dataDir, 'logs'))}/`,
  );
  say(`Try: curl http://127.0.0.1:${catalog['aia-api'].port}/readyz    Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `\n✗ ${error.message}` : error);
  process.exit(1);
});
