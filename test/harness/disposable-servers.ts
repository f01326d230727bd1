import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLocalTls,
  type PostgresServer,
  type RedisServer,
  startPostgres,
  startRedis,
} from '../../tools/local-servers/index.js';

/** A server of its own in a temporary directory; `stop()` also deletes the directory. */
export type Disposable<T> = T & { stop(): Promise<void> };

/**
 * An empty temporary directory (`<tmpdir>/<prefix>XXXXXX`) that PostgreSQL, run as the `postgres`
 * OS user when this process is root, can enter; the caller removes it.
 */
export async function throwawayDir(prefix: string): Promise<string> {
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

/**
 * A throwaway redis-server as Memorystore runs it: TLS only, with a certificate from a CA of its
 * own (`caFile`, which Node does not trust by default), and AUTH (the password is in `url`).
 */
export async function startDisposableTlsRedis(
  certificate: { commonNameOnly?: string } = {},
): Promise<Disposable<RedisServer> & { readonly caFile: string }> {
  const dir = await throwawayDir('vitest-tls-redis-');
  try {
    const tls = await createLocalTls(join(dir, 'tls'), 'redis', certificate);
    const password = randomBytes(18).toString('base64url');
    const server = await startRedis({ dir: join(dir, 'data'), tls, password });
    return { ...disposing(server, dir), caFile: tls.caFile };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
