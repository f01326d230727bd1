import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionlint } from './actionlint.js';

const workflows = join(import.meta.dirname, '../../.github/workflows');
const files = readdirSync(workflows).filter((name) => /\.ya?ml$/.test(name));

describe('actionlint', () => {
  it('finds the workflows', () => {
    expect(files).toEqual(expect.arrayContaining(['pull-request.yml', 'release.yml']));
  });

  it.each(files)('passes %s', async (name) => {
    const path = join(workflows, name);
    expect(await actionlint(readFileSync(path, 'utf8'), path)).toEqual([]);
  });

  it('fails a broken copy of the release workflow, naming the line and the rule', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'actionlint-'));
    try {
      const broken = readFileSync(join(workflows, 'release.yml'), 'utf8')
        .replace('needs: [build, staging]', 'needs: [build, stagin]')
        .replace('steps.push.outputs.digest', 'steps.pushed.outputs.digest');
      const path = join(dir, 'release.yml');
      await writeFile(path, broken);
      const findings = await actionlint(broken, path);
      expect(findings.map((finding) => finding.kind).sort()).toEqual(['expression', 'job-needs']);
      expect(findings.find((finding) => finding.kind === 'job-needs')?.message).toContain(
        'needs job "stagin" which does not exist',
      );
      expect(findings.every((finding) => finding.line > 0)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
