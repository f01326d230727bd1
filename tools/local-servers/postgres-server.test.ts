import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBinaries } from './binaries.js';
import { startPostgres } from './postgres-server.js';
import { postgresUserWhenRoot, wrapCommand } from './run-as.js';
import { createLocalTls } from './tls-certificates.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postgres-server-test-'));
  // When the tests run as root, PostgreSQL runs as the postgres OS user and must get through.
  await chmod(dir, 0o711);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return [...(await sql.unsafe<T[]>(text))];
  } finally {
    await sql.end();
  }
}

describe('startPostgres', () => {
  it('keeps data and password across a stop and a restart on the same data directory', async () => {
    const dataDir = join(dir, 'data');
    const first = await startPostgres({ dataDir, persistent: true });
    try {
      expect(first.adminUrl).toMatch(
        new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${first.port}/postgres$`),
      );
      expect((await stat(`${dataDir}.password`)).mode & 0o777).toBe(0o600);
      expect(await query(first.adminUrl, 'select 1 as one')).toEqual([{ one: 1 }]);
      await query(first.adminUrl, "create table kept (note text); insert into kept values ('hi')");
    } finally {
      await first.stop();
    }

    const second = await startPostgres({ dataDir, persistent: true });
    try {
      expect(second.dataDir).toBe(first.dataDir);
      expect(await query(second.adminUrl, 'select note from kept')).toEqual([{ note: 'hi' }]);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('treats a second stop() as a no-op and refuses connections afterwards', async () => {
    const server = await startPostgres({ dataDir: join(dir, 'twice') });
    await server.stop();
    await expect(server.stop()).resolves.toBeUndefined();
    await expect(query(server.adminUrl, 'select 1')).rejects.toThrow();
  }, 60_000);

  // PostgreSQL clears a postmaster.pid whose process is gone, but not one whose pid was reused
  // by another program, as happens after a container restart.
  it.runIf(process.platform === 'linux')(
    'starts on a cluster whose postmaster.pid names a process that is not PostgreSQL',
    async () => {
      const dataDir = join(dir, 'stale');
      await (await startPostgres({ dataDir })).stop();
      // A live process of the server's own OS user: PostgreSQL alone would refuse to start.
      const line = wrapCommand('sleep', ['60'], {
        user: await postgresUserWhenRoot(),
        deathSignal: 'SIGKILL',
      });
      const impostor = spawn(line.command, [...line.args], { stdio: 'ignore' });
      await writeFile(join(dataDir, 'postmaster.pid'), `${impostor.pid}\n${dataDir}\n`);
      try {
        const server = await startPostgres({ dataDir });
        expect(await query(server.adminUrl, 'select 1 as one')).toEqual([{ one: 1 }]);
        await server.stop();
      } finally {
        impostor.kill('SIGKILL');
      }
    },
    60_000,
  );
});

describe('startPostgres with SSL required, as Cloud SQL with ENCRYPTED_ONLY', () => {
  it('serves sslmode=require and refuses a connection without SSL', async () => {
    const ssl = await createLocalTls(join(dir, 'tls'), 'postgres');
    const server = await startPostgres({ dataDir: join(dir, 'ssl'), ssl });
    try {
      expect(server.adminUrl).toMatch(/\/postgres\?sslmode=require$/);
      expect(
        await query(server.adminUrl, 'select ssl from pg_stat_ssl where pid = pg_backend_pid()'),
      ).toEqual([{ ssl: true }]);
      const plain = server.adminUrl.replace('sslmode=require', 'sslmode=disable');
      await expect(query(plain, 'select 1')).rejects.toThrow(/no encryption|pg_hba/);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('findPostgresBinaries', () => {
  it('names the package to install when PG_BIN_DIR holds no binaries', async () => {
    const empty = await mkdtemp(join(dir, 'empty-bin-'));
    expect(() => findPostgresBinaries({ PG_BIN_DIR: empty })).toThrow(
      /apt-get install postgresql.*PG_BIN_DIR/s,
    );
  });

  it('reads PG_BIN_DIR from process.env at call time', async () => {
    const empty = await mkdtemp(join(dir, 'empty-env-'));
    const previous = process.env.PG_BIN_DIR;
    process.env.PG_BIN_DIR = empty;
    try {
      expect(() => findPostgresBinaries()).toThrow(/apt-get install postgresql/);
    } finally {
      if (previous === undefined) delete process.env.PG_BIN_DIR;
      else process.env.PG_BIN_DIR = previous;
    }
  });
});
