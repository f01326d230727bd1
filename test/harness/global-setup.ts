import type { TestProject } from 'vitest/node';
import { startDisposablePostgres, startDisposableRedis } from './disposable-servers.js';
import './provided-context.js';

type Stoppable = { stop(): Promise<void> };

/**
 * Vitest global setup: provides `postgresAdminUrl` (DATABASE_URL, else a throwaway PostgreSQL)
 * and `redisUrl` (REDIS_URL, else a throwaway redis-server). The returned teardown stops what
 * was started and deletes its temporary directories.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // allSettled, not all: a failure must not tear down while the other server is still starting.
  const [postgres, redis] = await Promise.allSettled([
    process.env.DATABASE_URL ? undefined : startDisposablePostgres(),
    process.env.REDIS_URL ? undefined : startDisposableRedis(),
  ]);
  const started = [postgres, redis].flatMap((result) =>
    result.status === 'fulfilled' && result.value ? [result.value as Stoppable] : [],
  );
  const teardown = async () => {
    for (const server of started) await server.stop();
  };
  if (postgres.status === 'rejected' || redis.status === 'rejected') {
    await teardown();
    throw postgres.status === 'rejected'
      ? postgres.reason
      : (redis as PromiseRejectedResult).reason;
  }
  project.provide('postgresAdminUrl', process.env.DATABASE_URL ?? postgres.value?.adminUrl ?? '');
  project.provide('redisUrl', process.env.REDIS_URL ?? redis.value?.url ?? '');
  return teardown;
}
