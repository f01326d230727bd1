import { describe, expect, it } from 'vitest';
import { compareKeys, cursorAfter, keyOfCursor, pageOf, type SortOrder } from './ranking.js';

const order: SortOrder = ['desc', 'asc'];
const rows = [
  { key: [0.5, 'b'] },
  { key: [0.9, 'a'] },
  { key: [0.5, 'a'] },
  { key: [0.1, 'c'] },
] as const;

describe('ranked pages', () => {
  it('compares each element in its direction, numbers as numbers', () => {
    expect(compareKeys([10, 'a'], [9, 'a'], order)).toBeLessThan(0);
    expect(compareKeys([1, 'a'], [1, 'b'], order)).toBeLessThan(0);
    expect(compareKeys([1, 'a'], [1, 'a'], order)).toBe(0);
  });

  it('pages after the last key, every row once', () => {
    const first = pageOf(rows, order, { limit: 2 });
    expect(first.rows.map((r) => r.key)).toEqual([
      [0.9, 'a'],
      [0.5, 'a'],
    ]);
    const after = keyOfCursor(first.next as string, order);
    const second = pageOf(rows, order, { limit: 2, ...(after ? { after } : {}) });
    expect(second.rows.map((r) => r.key)).toEqual([
      [0.5, 'b'],
      [0.1, 'c'],
    ]);
    expect(second.next).toBeNull();
  });

  it('refuses a cursor of another shape', () => {
    expect(keyOfCursor(cursorAfter([1, 'a']), order)).toEqual([1, 'a']);
    expect(keyOfCursor(cursorAfter([1]), order)).toBeUndefined();
    expect(keyOfCursor('not base64 json', order)).toBeUndefined();
    expect(keyOfCursor(Buffer.from('[{"a":1},"x"]').toString('base64url'), order)).toBeUndefined();
  });
});
