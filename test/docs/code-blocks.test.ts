import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeCheckBlocks } from './compile-blocks.js';
import { documentationFiles, type FencedBlock, fencedBlocks, root } from './markdown.js';
import { trackedTopLevel } from './tracked-files.js';

const run = promisify(execFile);
const blocks = documentationFiles().flatMap((file) => fencedBlocks(file));
const where = (block: FencedBlock) => `${block.file}:${block.line} (${block.info || 'no info'})`;
const marked = (mark: FencedBlock['mark']) => blocks.filter((block) => block.mark === mark);

describe('code blocks of the README and docs', () => {
  it('marks every block as run, check, skip or text (docs/testing.md)', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(marked('unmarked').map(where)).toEqual([]);
  });

  it('has runnable and type-checked examples, not only skipped ones', () => {
    expect(marked('run').length).toBeGreaterThan(0);
    expect(marked('check').length).toBeGreaterThan(0);
  });

  it('runs sh blocks only', () => {
    expect(
      marked('run')
        .filter((block) => block.language !== 'sh')
        .map(where),
    ).toEqual([]);
    expect(
      marked('check')
        .filter((block) => block.language !== 'ts')
        .map(where),
    ).toEqual([]);
  });

  it('type-checks every ts check block against the repository', () => {
    const problems = typeCheckBlocks(marked('check'));
    expect(problems).toEqual([]);
  }, 120_000);

  describe('sh run blocks', () => {
    let scratch = '';

    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'aia-docs-'));
    });
    afterAll(() => rm(scratch, { recursive: true, force: true }));

    it.each(marked('run').map((block) => [where(block), block] as const))(
      '%s exits 0',
      async (_name, block) => {
        // Entries link to the repository's tracked ones and node_modules: the commands run as in
        // a checkout, and the files they write (plan.json, plan-out/, ...) stay in the scratch.
        const cwd = await mkdtemp(join(scratch, 'block-'));
        for (const entry of [...trackedTopLevel(), 'node_modules']) {
          await symlink(join(root, entry), join(cwd, entry));
        }
        const result = await run('bash', ['-euo', 'pipefail', '-c', block.body], {
          cwd,
          timeout: 110_000,
          maxBuffer: 64 * 1024 * 1024,
        }).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);
        const failure = 'code' in result && result.code ? result : undefined;
        expect(
          failure && `exit ${failure.code}\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`,
        ).toBeUndefined();
      },
      120_000,
    );
  });
});
