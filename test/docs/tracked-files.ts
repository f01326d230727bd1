import { execFileSync } from 'node:child_process';
import { root } from './markdown.js';

/** Every file git tracks, repository-relative (what a fresh clone holds). */
export function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
}

/** The top-level files and folders of a fresh clone. */
export const trackedTopLevel = (): string[] => [
  ...new Set(trackedFiles().map((file) => file.split('/')[0] ?? file)),
];

/** The top-level folders of a fresh clone, as `name/`. */
export const trackedFolders = (under = ''): string[] => [
  ...new Set(
    trackedFiles()
      .filter((file) => file.startsWith(under))
      .map((file) => file.slice(under.length).split('/'))
      .filter((parts) => parts.length > 1)
      .map((parts) => `${under}${parts[0]}/`),
  ),
];
