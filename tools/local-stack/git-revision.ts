import { execFileSync } from 'node:child_process';

/** Short commit of the working tree, or `unknown` outside a git checkout. */
export function gitRevision(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}
