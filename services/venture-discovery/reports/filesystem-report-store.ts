import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type {
  KeyPage,
  ListOptions,
  NewObject,
  PutResult,
  ReportStore,
  StoredObject,
} from './report-store.js';

/** What a key may look like here: relative, `/`-separated segments, no `.` or `..`. */
const SAFE_KEY = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
/** Beside each object, its content type and metadata. */
const META_SUFFIX = '.meta.json';
/** A file being written; never a key. */
const TEMPORARY_SUFFIX = '.tmp';

interface Meta {
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

const hasCode = (error: unknown, code: string) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === code;

/** What an object's file name says about its type when its metadata file is missing. */
const contentTypeOf = (key: string) =>
  key.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/ld+json';

/**
 * The report store in a folder, for local runs without object storage: each key is a file under
 * `root`, its content type and metadata in a `.meta.json` file beside it. Write-once: the object
 * is written whole to a temporary file and then hard-linked to its key, which fails if the key is
 * taken, so a reader never sees half an object and two writers of one key cannot both win.
 */
export function filesystemReportStore(root: string): ReportStore {
  const pathOf = (key: string) => {
    if (!SAFE_KEY.test(key) || key.endsWith(META_SUFFIX) || key.endsWith(TEMPORARY_SUFFIX))
      throw new Error(`unsafe object key ${key}`);
    return join(root, ...key.split('/'));
  };

  async function walk(folder: string, prefix: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return [];
      throw error;
    }
    const keys: string[] = [];
    for (const entry of entries) {
      const key = `${prefix}${entry.name}`;
      if (entry.isDirectory()) keys.push(...(await walk(join(folder, entry.name), `${key}/`)));
      else if (!entry.name.endsWith(META_SUFFIX) && !entry.name.endsWith(TEMPORARY_SUFFIX))
        keys.push(key);
    }
    return keys;
  }

  return {
    async putIfAbsent({ key, body, contentType, metadata }: NewObject): Promise<PutResult> {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomUUID()}${TEMPORARY_SUFFIX}`;
      await writeFile(temporary, body, { flag: 'wx' });
      try {
        await link(temporary, path);
      } catch (error) {
        if (hasCode(error, 'EEXIST')) return 'exists';
        throw error;
      } finally {
        await unlink(temporary);
      }
      const metaTemporary = `${path}.${randomUUID()}${TEMPORARY_SUFFIX}`;
      await writeFile(metaTemporary, JSON.stringify({ contentType, metadata } satisfies Meta), {
        flag: 'wx',
      });
      await rename(metaTemporary, path + META_SUFFIX);
      return 'created';
    },

    async get(key: string): Promise<StoredObject | undefined> {
      const path = pathOf(key);
      let body: string;
      try {
        body = await readFile(path, 'utf8');
      } catch (error) {
        if (hasCode(error, 'ENOENT')) return undefined;
        throw error;
      }
      // Written after the object: missing only if the writer stopped in between.
      const meta: Meta = await readFile(path + META_SUFFIX, 'utf8').then(
        (text) => JSON.parse(text) as Meta,
        (error: unknown) => {
          if (hasCode(error, 'ENOENT')) return { contentType: contentTypeOf(key), metadata: {} };
          throw error;
        },
      );
      const { mtime } = await stat(path);
      return { key, body, ...meta, lastModified: mtime.toISOString() };
    },

    async list(prefix: string, { after, limit }: ListOptions): Promise<KeyPage> {
      // The folder holding the prefix's keys (`reports/run/` → reports/run; `reports/ru` → reports).
      const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      if (folder !== '' && !SAFE_KEY.test(folder.slice(0, -1)))
        throw new Error(`unsafe object key prefix ${prefix}`);
      const all = (await walk(join(root, ...folder.split('/').filter(Boolean)), folder))
        .filter((key) => key.startsWith(prefix) && (after === undefined || key > after))
        // Keys are ASCII (SAFE_KEY): code-unit order is S3's byte order.
        .sort();
      const keys = all.slice(0, limit);
      const last = keys.at(-1);
      return all.length > limit && last !== undefined ? { keys, next: last } : { keys };
    },
  };
}
