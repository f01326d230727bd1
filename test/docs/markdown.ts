import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root folder. */
export const root = join(import.meta.dirname, '..', '..');

/** What a fenced block's info string says the docs test does with it (docs/testing.md). */
export type BlockMark = 'run' | 'check' | 'skip' | 'text' | 'unmarked';

export interface FencedBlock {
  /** Repository-relative path of the page. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string after the opening fence, e.g. `sh run`. */
  readonly info: string;
  readonly language: string;
  readonly mark: BlockMark;
  /** The block's lines, without the fences and without the fence's indentation. */
  readonly body: string;
}

/** README.md and every page under docs/, as repository-relative paths. */
export function documentationFiles(): string[] {
  const pages = (readdirSync(join(root, 'docs'), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.md'))
    .map((file) => join('docs', file))
    .sort();
  return ['README.md', ...pages];
}

export const readPage = (file: string) => readFileSync(join(root, file), 'utf8');

/** Info strings the test does nothing with: prose-like output, and diagrams GitHub draws. */
const TEXT_LANGUAGES = new Set(['text', 'mermaid']);

const markOf = (language: string, words: string[]): BlockMark => {
  if (TEXT_LANGUAGES.has(language) && words.length === 0) return 'text';
  const [mark] = words;
  return mark === 'run' || mark === 'check' || mark === 'skip' ? mark : 'unmarked';
};

/**
 * The fenced code blocks of a Markdown page, indented ones (inside list items) included. A fence
 * is three or more backticks at the start of a line; the block ends at a fence at least as long.
 */
export function fencedBlocks(file: string, text = readPage(file)): FencedBlock[] {
  const lines = text.split('\n');
  const blocks: FencedBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^( *)(`{3,})(.*)$/.exec(lines[index] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', info = ''] = open;
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const close = /^ *(`{3,})\s*$/.exec(lines[end] ?? '');
      if (close && (close[1]?.length ?? 0) >= fence.length) break;
      body.push((lines[end] ?? '').replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    const [language = '', ...words] = info.trim().split(/\s+/).filter(Boolean);
    blocks.push({
      file: relative(root, join(root, file)),
      line: index + 1,
      info: info.trim(),
      language,
      mark: markOf(language, words),
      body: body.join('\n'),
    });
    index = end;
  }
  return blocks;
}

/** The body of the first fenced block after the heading `heading` (e.g. `## Repository map`). */
export function blockAfterHeading(file: string, heading: string): FencedBlock | undefined {
  const text = readPage(file);
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) return undefined;
  const headingLine = text.slice(0, at + 1).split('\n').length;
  return fencedBlocks(file, text).find((block) => block.line > headingLine);
}
