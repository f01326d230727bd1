import { describe, expect, it } from 'vitest';
import { publishes } from './publication.js';

const THRESHOLD = 0.6;

describe('publishing a theme’s opportunity', () => {
  it('publishes a new theme at the threshold and not below', () => {
    expect(publishes(undefined, THRESHOLD, THRESHOLD)).toBe(true);
    expect(publishes(undefined, 0.59, THRESHOLD)).toBe(false);
  });

  it('publishes a theme crossing the threshold from below, once', () => {
    expect(publishes({ published: false, status: 'open' }, 0.7, THRESHOLD)).toBe(true);
    expect(publishes({ published: true, status: 'open' }, 0.7, THRESHOLD)).toBe(false);
  });

  it('never publishes a rejected theme', () => {
    expect(publishes({ published: false, status: 'rejected' }, 0.9, THRESHOLD)).toBe(false);
  });
});
