import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type PostgresServer,
  type RedisServer,
  startPostgres,
  startRedis,
} from '../../tools/local-servers/index.js';

/** A server of its own in a temporary directory; `stop()` also deletes the directory. */
export type Disposable<T> = T & { stop(): Promise<void> };

async function throwawayDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  // mkdtemp makes 0700 directories; PostgreSQL may run as another OS user and must get through.
  await chmod(dir, 0o711);
  return dir;
}

function disposing<T extends { stop(): Promise<void> }>(server: T, dir: string): Disposable<T> {
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway PostgreSQL (no fsync) for tests that must stop it or that need it to themselves. */
export async function startDisposablePostgres(): Promise<Disposable<PostgresServer>> {
  const dir = await throwawayDir('vitest-postgres-');
  try {
    return disposing(await startPostgres({ dataDir: join(dir, 'data'), persistent: false }), dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A throwaway redis-server without persistence. */
export async function startDisposableRedis(): Promise<Disposable<RedisServer>> {
  const dir = await throwawayDir('vitest-redis-');
  try {
    return disposing(await startRedis({ dir, persistent: false }), dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
