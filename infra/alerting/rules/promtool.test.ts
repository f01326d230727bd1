import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog, STACKS } from '../../../services/catalog.js';
import { RULES_FILE, renderRuleFiles, TESTS_FILE } from './render.js';
import type { Catalog } from './types.js';

const run = promisify(execFile);
const directories: string[] = [];

afterAll(async () => {
  await Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes `files` to a new temporary directory and returns it. */
async function written(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aia-rules-'));
  directories.push(dir);
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
  return dir;
}

const promtool = (dir: string, ...args: string[]) =>
  run('promtool', args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });

/** One service only, so a whole promtool run takes seconds. */
const governorOnly = (tokenTransactionFailurePercent: number): Catalog => {
  const definition = catalog['economic-governor'];
  return {
    'economic-governor': {
      ...definition,
      alerts: {
        ...definition.alerts,
        production: { ...definition.alerts.production, tokenTransactionFailurePercent },
      },
    },
  };
};

// One stack after the other: promtool keeps a core busy, and other test files need theirs.
describe.each(STACKS)('promtool on the %s rules', (stack) => {
  it('accepts rules.yaml (promtool check rules)', async () => {
    const dir = await written(renderRuleFiles(stack));
    const { stdout } = await promtool(dir, 'check', 'rules', RULES_FILE);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes every fixture of tests.yaml (promtool test rules)', { timeout: 180_000 }, async () => {
    const dir = await written(renderRuleFiles(stack));
    const { stdout } = await promtool(dir, 'test', 'rules', TESTS_FILE);
    expect(stdout).toContain('SUCCESS');
  });
});

describe('fixtures follow the thresholds', () => {
  it('fail against rules whose threshold moved, and pass against their own', {
    timeout: 120_000,
  }, async () => {
    const before = renderRuleFiles('production', { catalog: governorOnly(1) });
    const after = renderRuleFiles('production', { catalog: governorOnly(2) });
    const stale = await written({
      [RULES_FILE]: after[RULES_FILE],
      [TESTS_FILE]: before[TESTS_FILE],
    });
    const fresh = await written(after);
    const [staleRun, freshRun] = await Promise.allSettled([
      promtool(stale, 'test', 'rules', TESTS_FILE),
      promtool(fresh, 'test', 'rules', TESTS_FILE),
    ]);
    expect(staleRun.status).toBe('rejected');
    const { stdout, stderr } = (staleRun as PromiseRejectedResult).reason;
    expect(`${stdout}${stderr}`).toMatch(/alertname: TokenTransactionFailuresHigh/);
    expect(freshRun.status).toBe('fulfilled');
  });
});
