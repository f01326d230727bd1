import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockAfterHeading, documentationFiles, readPage, root } from './markdown.js';
import { trackedFolders } from './tracked-files.js';

/** Entries start before this column; descriptions (and their continuation lines) at it. */
const DESCRIPTION_COLUMN = 28;

/**
 * The paths the README's map names: an entry line's first word, under the folder of the entry
 * two spaces to its left (`services/` then `  catalog.ts` is `services/catalog.ts`).
 */
function mapEntries(map: string): string[] {
  const parents: string[] = [];
  const entries: string[] = [];
  for (const line of map.split('\n')) {
    const match = /^( *)(\S+)/.exec(line);
    if (!match) continue;
    const [, indent = '', name = ''] = match;
    if (indent.length >= DESCRIPTION_COLUMN) continue;
    const depth = indent.length / 2;
    parents.length = depth;
    const path = `${parents.join('')}${name}`;
    entries.push(path);
    parents.push(name);
  }
  return entries;
}

const map = blockAfterHeading('README.md', '## Repository map');
const entries = mapEntries(map?.body ?? '');

describe("README's repository map", () => {
  it('is a text block under its heading', () => {
    expect(map?.mark).toBe('text');
    expect(entries.length).toBeGreaterThan(20);
  });

  it('names only paths that exist, folders with a trailing slash', () => {
    const wrong = entries.filter((path) => {
      if (!existsSync(join(root, path))) return true;
      return statSync(join(root, path)).isDirectory() !== path.endsWith('/');
    });
    expect(wrong).toEqual([]);
  });

  it('names every top-level folder of a fresh clone', () => {
    expect(trackedFolders().filter((folder) => !entries.includes(folder))).toEqual([]);
  });

  it('names every folder of services/', () => {
    const folders = trackedFolders('services/');
    expect(folders).toContain('services/platform/');
    expect(folders.filter((folder) => !entries.includes(folder))).toEqual([]);
  });

  it('points only at docs pages that exist', () => {
    const pages = [...(map?.body ?? '').matchAll(/\b(docs\/[\w/.-]+\.md)\b/g)].map(
      (match) => match[1] ?? '',
    );
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.filter((page) => !existsSync(join(root, page)))).toEqual([]);
  });
});

describe('links of the README and docs', () => {
  it.each(documentationFiles())('%s links only to files that exist', (file) => {
    const text = readPage(file).replace(/```[\s\S]*?```/g, '');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => (match[1] ?? '').split('#')[0] ?? '')
      .filter((target) => target !== '' && !/^[a-z]+:/.test(target));
    const base = join(root, file, '..');
    expect(targets.filter((target) => !existsSync(join(base, target)))).toEqual([]);
  });
});
