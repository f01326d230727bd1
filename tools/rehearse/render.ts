import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RenderedObject } from './rendered-workloads.js';

const exec = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

/**
 * The Kubernetes objects the plan renders for `stack`, secrets as placeholders, from a process
 * of its own (render-stack.ts): Pulumi's runtime state is global, one stack per process.
 */
export async function renderStack(stack: string, dir: string): Promise<RenderedObject[]> {
  const file = join(dir, `rendered-${stack}.json`);
  const tsx = join(root, 'node_modules/.bin/tsx');
  try {
    await exec(tsx, [join(root, 'tools/rehearse/render-stack.ts'), stack, file], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    throw new Error(`the plan of stack ${stack} failed:\n${stderr.trim()}`);
  }
  return JSON.parse(await readFile(file, 'utf8')) as RenderedObject[];
}
