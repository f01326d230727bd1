import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres, startRedis } from '../../tools/local-servers/index.js';
import './provided-context.js';

type Cleanup = () => Promise<void>;

async function throwawayDir(prefix: string, cleanups: Cleanup[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  // mkdtemp makes 0700 directories; PostgreSQL may run as another OS user and must get through.
  await chmod(dir, 0o711);
  return dir;
}

async function postgresAdminUrl(cleanups: Cleanup[]): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dir = await throwawayDir('vitest-postgres-', cleanups);
  const server = await startPostgres({ dataDir: join(dir, 'data'), persistent: false });
  cleanups.push(server.stop);
  return server.adminUrl;
}

async function redisUrl(cleanups: Cleanup[]): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const dir = await throwawayDir('vitest-redis-', cleanups);
  const server = await startRedis({ dir, persistent: false });
  cleanups.push(server.stop);
  return server.url;
}

/**
 * Vitest global setup: provides `postgresAdminUrl` (DATABASE_URL, else a throwaway PostgreSQL)
 * and `redisUrl` (REDIS_URL, else a throwaway redis-server). The returned teardown stops what
 * was started and deletes its temporary directories.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: Cleanup[] = [];
  const teardown = async (): Promise<void> => {
    // Servers stop before their directories go: run in reverse order of creation.
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  // allSettled, not all: a failure must not tear down while the other server is still starting.
  const [postgres, redis] = await Promise.allSettled([
    postgresAdminUrl(cleanups),
    redisUrl(cleanups),
  ]);
  if (postgres.status === 'rejected' || redis.status === 'rejected') {
    await teardown();
    throw postgres.status === 'rejected'
      ? postgres.reason
      : (redis as PromiseRejectedResult).reason;
  }
  project.provide('postgresAdminUrl', postgres.value);
  project.provide('redisUrl', redis.value);
  return teardown;
}
