import { join } from 'node:path';
import { findRedisServer, startPostgres, startRedis } from '../local-servers/index.js';

export interface LocalStore {
  readonly url: string;
  /** Present when this process started the server and must stop it. */
  readonly stop?: () => Promise<void>;
}

/** DATABASE_URL when set, else a persistent PostgreSQL in `<dataDir>/postgres`. */
export async function startLocalPostgres(
  dataDir: string,
  say: (line: string) => void,
): Promise<LocalStore> {
  if (process.env.DATABASE_URL) {
    say('▸ PostgreSQL: using DATABASE_URL');
    return { url: process.env.DATABASE_URL };
  }
  say(`▸ PostgreSQL: starting (data in ${join(dataDir, 'postgres')})`);
  const server = await startPostgres({
    dataDir: join(dataDir, 'postgres'),
    persistent: true,
    onProgress: (message) => say(`  ${message}`),
  });
  say(`  ✓ listening on 127.0.0.1:${server.port}`);
  return { url: server.adminUrl, stop: () => server.stop() };
}

/**
 * REDIS_URL when set; else a persistent redis-server in `<dataDir>/redis` when installed; else
 * undefined, after saying once which features are degraded.
 */
export async function startLocalRedis(
  dataDir: string,
  say: (line: string) => void,
): Promise<LocalStore | undefined> {
  if (process.env.REDIS_URL) {
    say('▸ Redis: using REDIS_URL');
    return { url: process.env.REDIS_URL };
  }
  try {
    findRedisServer();
  } catch (error) {
    say(`▸ Redis: not available — ${(error as Error).message}`);
    say(
      '  Running degraded: rate limiting admits every request and Redis-backed features are off.',
    );
    return undefined;
  }
  say(`▸ Redis: starting (data in ${join(dataDir, 'redis')})`);
  const server = await startRedis({ dir: join(dataDir, 'redis'), persistent: true });
  say(`  ✓ listening on 127.0.0.1:${server.port}`);
  return { url: server.url, stop: () => server.stop() };
}
