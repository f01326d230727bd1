import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { createLocalTls, startPostgres, startRedis } from '../local-servers/index.js';

/** A service's database and login, as its DATABASE_URL names them. */
export interface DatabaseLogin {
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

/** The local stand-ins for Cloud SQL and Memorystore. */
export interface LocalDataStores {
  /** Absent when no service logs in with a DATABASE_URL. */
  readonly postgresPort: number | undefined;
  readonly redisPort: number;
  /** PEM of the CA that signed Redis's certificate: what the plan's server CA placeholder becomes. */
  readonly redisCa: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL with SSL required (server certificate from a CA of its own, pg_hba `hostssl` only)
 * and a login and database per service created as Cloud SQL creates them; Redis with TLS only
 * (another CA) and AUTH. Both in `dir`, which the postgres OS user must be able to enter.
 */
export async function startLocalDataStores(
  dir: string,
  { databases, redisPassword }: { databases: readonly DatabaseLogin[]; redisPassword: string },
): Promise<LocalDataStores> {
  // PostgreSQL only when some service uses it.
  const withPostgres = databases.length > 0;
  const [postgresTls, redisTls] = await Promise.all([
    withPostgres ? createLocalTls(join(dir, 'postgres-tls'), 'postgres') : undefined,
    createLocalTls(join(dir, 'redis-tls'), 'redis'),
  ]);
  const [database, redis] = await Promise.allSettled([
    postgresTls ? startPostgres({ dataDir: join(dir, 'postgres'), ssl: postgresTls }) : undefined,
    startRedis({ dir: join(dir, 'redis'), tls: redisTls, password: redisPassword }),
  ]);
  const stop = async () => {
    await Promise.all(
      [database, redis].map((r) => (r.status === 'fulfilled' ? r.value?.stop() : undefined)),
    );
  };
  if (database.status === 'rejected' || redis.status === 'rejected') {
    await stop();
    throw database.status === 'rejected'
      ? database.reason
      : (redis as PromiseRejectedResult).reason;
  }
  try {
    if (database.value) await createLogins(database.value.adminUrl, databases);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    postgresPort: database.value?.port,
    redisPort: redis.value.port,
    redisCa: await readFile(redisTls.caFile, 'utf8'),
    stop,
  };
}

/**
 * As Cloud SQL does: users made through its API are members of `cloudsqlsuperuser`, and databases
 * made through it belong to `cloudsqlsuperuser`, so each login may create its schema (PostgreSQL
 * 15 gives the public schema to the database owner).
 */
async function createLogins(adminUrl: string, databases: readonly DatabaseLogin[]): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
  try {
    await sql.unsafe('create role cloudsqlsuperuser nologin createrole createdb');
    for (const { database, user, password } of databases) {
      await sql.unsafe(
        `create role "${user}" login password ${literal(password)} in role cloudsqlsuperuser`,
      );
      await sql.unsafe(`create database "${database}" owner cloudsqlsuperuser`);
    }
  } finally {
    await sql.end();
  }
}
