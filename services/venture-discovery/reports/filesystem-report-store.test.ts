import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportStore } from './create-report-store.js';
import { filesystemReportStore } from './filesystem-report-store.js';
import { reportStoreContract } from './report-store.contract.js';

let root: string;
let stores = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aia-reports-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

reportStoreContract('filesystem store', () =>
  filesystemReportStore(join(root, `store-${++stores}`)),
);

describe('filesystem store', () => {
  it('refuses a key that could leave its folder', async () => {
    const store = filesystemReportStore(join(root, 'escape'));
    for (const key of ['../outside', 'reports/../../x', '/etc/passwd', 'a//b', 'x.meta.json']) {
      await expect(
        store.putIfAbsent({ key, body: '', contentType: 'text/plain', metadata: {} }),
      ).rejects.toThrow(/unsafe object key/);
    }
    for (const prefix of ['../', 'report-runs/../../', '/etc/'])
      await expect(store.list(prefix, { limit: 1 })).rejects.toThrow(/unsafe object key prefix/);
  });

  it('leaves no temporary file behind, also when the key was taken', async () => {
    const folder = join(root, 'tidy');
    const store = filesystemReportStore(folder);
    const object = {
      key: 'reports/run/r/v1.jsonld',
      body: '{}',
      contentType: 'application/ld+json',
      metadata: {},
    };
    await store.putIfAbsent(object);
    await store.putIfAbsent(object);
    expect((await readdir(join(folder, 'reports', 'run', 'r'))).sort()).toEqual([
      'v1.jsonld',
      'v1.jsonld.meta.json',
    ]);
  });
});

describe('createReportStore', () => {
  it('keeps reports in a folder when no bucket is configured', async () => {
    const folder = join(root, 'local');
    const { store, location } = createReportStore(undefined, folder);
    expect(location).toBe(folder);
    await store.putIfAbsent({
      key: 'reports/run/x/v1.jsonld',
      body: '{}',
      contentType: 'application/ld+json',
      metadata: {},
    });
    expect(await readdir(join(folder, 'reports', 'run', 'x'))).toContain('v1.jsonld');
  });
});
