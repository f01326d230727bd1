import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('gives the two commands for a fresh machine exactly as CI runs them', () => {
    expect(readme).toContain(
      [
        'bash tools/setup.sh && npm start    # set up, then run all six services with embedded defaults',
        'bash tools/setup.sh && npm test     # set up, then run the tests',
      ].join('\n'),
    );
    expect(readFileSync(join(root, '.ci/run'), 'utf8')).toMatch(
      /bash tools\/setup\.sh[\s\S]*npm test/,
    );
  });

  it('says what the package is before anything else', () => {
    const intro = readme.split('\n## ')[0] ?? '';
    for (const folder of ['services/', 'infra/', 'policies/', 'test/', 'tools/']) {
      expect(intro).toContain(`\`${folder}\``);
    }
  });

  it('links every page of docs/ from its documentation table', () => {
    const pages = readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.filter((page) => !readme.includes(`](docs/${page})`))).toEqual([]);
  });

  it('stays a front page: details live in docs/', () => {
    expect(readme.split('\n').length).toBeLessThan(150);
  });
});
