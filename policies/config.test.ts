import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STACKS } from '../services/catalog.js';
import { allPolicies } from './rules/index.js';

const read = (file: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'config', file), 'utf8'));

describe('policy pack configuration per stack', () => {
  it.each(STACKS)(
    '%s: the preview config is the offline one with the plaintext-secret rule disabled',
    (stack) => {
      expect(read(`${stack}.preview.json`)).toEqual({
        ...read(`${stack}.json`),
        'k8s-no-plaintext-secret': 'disabled',
      });
    },
  );

  it.each(STACKS)('%s: names only policies that exist', (stack) => {
    const names = new Set(allPolicies.map((policy) => policy.name));
    const unknown = Object.keys(read(`${stack}.json`)).filter(
      (key) => key !== 'all' && !names.has(key),
    );
    expect(unknown).toEqual([]);
  });

  it('has unique policy names', () => {
    const names = allPolicies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
