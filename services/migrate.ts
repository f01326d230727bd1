import { isServiceName, serviceDefinition, serviceNames } from './catalog.js';
import { ConfigError, loadConfig, secretKeysOf } from './platform/config.js';
import { openDatabase } from './platform/db.js';
import { createLogger } from './platform/logging.js';
import { MIGRATION_POOL_SIZE, migrateService } from './platform/migrations.js';

/**
 * `node dist/services/migrate.js <service>`: applies the service's pending migrations and exits,
 * the Kubernetes Job that runs before a new version serves. Exit 0 when the schema is current,
 * 78 on a configuration error, 1 when a migration fails (nothing of it was applied).
 */
const [name] = process.argv.slice(2);
if (!name || !isServiceName(name)) {
  console.error(`usage: migrate.js <service>: one of ${serviceNames.join(', ')}`);
  process.exit(64);
}
const definition = serviceDefinition(name);
try {
  const config = loadConfig(name, definition.env, {
    PORT: String(definition.port),
    ...process.env,
  }) as Record<string, unknown>;
  const logger = createLogger({
    service: name,
    level: String(config.LOG_LEVEL),
    redactKeys: secretKeysOf(definition.env),
  });
  const database = definition.migrations
    ? await openDatabase(config, { max: MIGRATION_POOL_SIZE, applicationName: `${name}-migrate` })
    : undefined;
  if (!database) {
    logger.info('service has no schema of its own: nothing to migrate');
    process.exit(0);
  }
  try {
    const { applied } = await migrateService(database.sql, name, logger);
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema is current');
  } finally {
    await database.close(5);
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 78 : 1);
}
