import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/index.js';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { findFreePort } from '../local-servers/index.js';
import { buildImageContents, type ImageContents } from './build-contents.js';
import { imageProcess } from './image-process.js';

const root = join(import.meta.dirname, '../..');
const database = useTestDatabase('image_contents');
let outDir: string;
let image: ImageContents;
const children: ChildProcess[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'image-contents-'));
  image = await buildImageContents({ context: root, outDir });
}, 600_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

describe('the image, built as the Dockerfile builds it', () => {
  it('holds the compiled services with their migrations, and no test support', () => {
    const dist = join(image.workdir, 'dist');
    expect(existsSync(join(dist, 'services/main.js'))).toBe(true);
    expect(existsSync(join(dist, 'services/migrate.js'))).toBe(true);
    const sql = readdirSync(join(dist, 'services/economic-governor/migrations'));
    const sources = readdirSync(join(root, 'services/economic-governor/migrations'));
    expect(sql.sort()).toEqual(sources.sort());
    // A page's static files (services/*/page/) are served as they are, from beside the code.
    const page = readdirSync(join(dist, 'services/dkg-manager/page'));
    expect(page.sort()).toEqual(readdirSync(join(root, 'services/dkg-manager/page')).sort());
    // The governor verifies vote and ownership proofs with the committed verification keys, found
    // beside the compiled artifacts.js; proving (witness generators, proving keys) is the voter's.
    const zk = join(dist, 'services/economic-governor/governance/zk/artifacts');
    const shipped = [
      'circuit.sha256',
      'ownership.sha256',
      'ownership_verification_key.json',
      'verification_key.json',
    ];
    expect(readdirSync(zk).sort()).toEqual(shipped);
    const artifacts = join(root, 'services/economic-governor/governance/zk/artifacts');
    for (const name of shipped)
      expect(readFileSync(join(zk, name), 'utf8'), name).toBe(
        readFileSync(join(artifacts, name), 'utf8'),
      );
    const compiled = files(dist).map((file) => file.slice(dist.length));
    expect(
      compiled.filter((file) => /\/testing\/|\.test\.js|\/test\/|\/tools\//.test(file)),
    ).toEqual([]);
  });

  it('carries production dependencies only, with the driver patch applied', () => {
    const modules = join(image.workdir, 'node_modules');
    // npm prune leaves empty scope folders behind: count packages, not folders.
    const packages = readdirSync(modules).flatMap((name) =>
      name.startsWith('@')
        ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`)
        : [name],
    );
    for (const absent of [
      '@pulumi/pulumi',
      '@pulumi/gcp',
      'typescript',
      'vitest',
      // The circuit compiler: the voter's setup tooling, never the server's.
      'circom2',
      'tsx',
      'playwright-core',
    ])
      expect(packages, absent).not.toContain(absent);
    expect(packages).toEqual(
      // cytoscape: the DKG manager serves its browser build to the graph page. snarkjs: the
      // governor verifies vote proofs (services/economic-governor/governance/zk/verify-vote.ts).
      expect.arrayContaining([
        'hono',
        'postgres',
        'ioredis',
        'pino',
        'zod',
        'cytoscape',
        'snarkjs',
      ]),
    );
    const connection = readFileSync(
      join(image.workdir, 'node_modules/postgres/src/connection.js'),
      'utf8',
    );
    expect(connection).toContain('porsager/postgres#1208');
  });

  it('starts a service from the image command, which migrates its database and is ready', async () => {
    const port = await findFreePort();
    const service = imageProcess(image, ['economic-governor'], {
      DATABASE_URL: database.url,
      ...testJwtEnv,
      TREASURY_PRIVATE_KEY: 't'.repeat(32),
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    children.push(service.child);
    await service.ready(`http://127.0.0.1:${port}/readyz`, 60_000);
    const info = (await (await fetch(`http://127.0.0.1:${port}/info`)).json()) as { name: string };
    expect(info.name).toBe('economic-governor');
    service.child.kill('SIGTERM');
    await service.exited;
  }, 120_000);

  it('a build without the migrations refuses to start, saying where it looked', async () => {
    const migrations = join(image.workdir, 'dist/services/economic-governor/migrations');
    renameSync(migrations, `${migrations}.moved`);
    try {
      const service = imageProcess(image, ['economic-governor'], {
        DATABASE_URL: database.url,
        ...testJwtEnv,
        TREASURY_PRIVATE_KEY: 't'.repeat(32),
        HOST: '127.0.0.1',
        PORT: String(await findFreePort()),
      });
      children.push(service.child);
      const code = await service.exited;
      expect(code).not.toBe(0);
      expect(service.output()).toContain(`no migrations in ${migrations}/`);
    } finally {
      renameSync(`${migrations}.moved`, migrations);
    }
  }, 60_000);

  it('a build without the verification key does not start a governor serving governance', async () => {
    const key = join(
      image.workdir,
      'dist/services/economic-governor/governance/zk/artifacts/verification_key.json',
    );
    renameSync(key, `${key}.moved`);
    try {
      const service = imageProcess(image, ['economic-governor'], {
        DATABASE_URL: database.url,
        ...testJwtEnv,
        TREASURY_PRIVATE_KEY: 't'.repeat(32),
        GOVERNANCE_ENABLED: 'true',
        HOST: '127.0.0.1',
        PORT: String(await findFreePort()),
      });
      children.push(service.child);
      const code = await service.exited;
      expect(code).not.toBe(0);
      expect(service.output()).toContain(key);
    } finally {
      renameSync(`${key}.moved`, key);
    }
  }, 60_000);
});
