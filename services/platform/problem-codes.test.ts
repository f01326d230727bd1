import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** Every problem code written in service code: `super(404, 'not_found', …)`, `new AppError(…)`, `code: '…'`. */
async function problemCodes(): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  const files = (await readdir(new URL('..', import.meta.url), { recursive: true })).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('testing/'),
  );
  for (const file of files) {
    const text = await readFile(new URL(`../${file}`, import.meta.url), 'utf8');
    for (const pattern of [
      /super\(\s*\d{3},\s*'([^']+)'/g,
      /new AppError\(\s*\d{3},\s*'([^']+)'/g,
      /^\s+code: '([^']+)',$/gm,
      /^\s+([a-z][a-zA-Z_-]*): [1-5]\d\d,$/gm,
    ]) {
      for (const [, code] of text.matchAll(pattern))
        if (code !== 'custom') codes.set(code as string, file);
    }
  }
  return codes;
}

describe('problem codes', () => {
  it('follow one naming style: snake_case, as RFC 6750 and the ledger rules name them', async () => {
    const codes = await problemCodes();
    expect(codes.size).toBeGreaterThan(20);
    const offending = [...codes].filter(([code]) => !SNAKE_CASE.test(code));
    expect(offending).toEqual([]);
  });
});
