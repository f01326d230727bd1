import { describe, expect, it } from 'vitest';
import { HISTORY_PAGE, historyUntil, type StackUpdate } from './release-stack.js';
import { busyAfterThreeReleases } from './testing/stack-histories.js';

/** A recorded history served in pages of HISTORY_PAGE, newest first, the pages asked counted. */
function paged(history: readonly StackUpdate[], ignorePage = false) {
  const asked: number[] = [];
  const newestFirst = [...history].sort((a, b) => b.version - a.version);
  return {
    asked,
    history: async (page = 1) => {
      asked.push(page);
      const from = ignorePage ? 0 : (page - 1) * HISTORY_PAGE;
      return newestFirst.slice(from, from + HISTORY_PAGE);
    },
  };
}

describe('reading the stack history page by page', () => {
  it('reads further pages until the updates answer, and no further', async () => {
    const stack = paged(busyAfterThreeReleases(120));
    const updates = await historyUntil(stack, (read) => read.some((u) => u.version === 2));
    expect(stack.asked).toEqual([1, 2, 3]);
    expect(updates).toHaveLength(125);
  });

  it('stops at the end of the history, and at a backend that answers every page with the first', async () => {
    const short = paged(busyAfterThreeReleases(10));
    expect(await historyUntil(short, () => false)).toHaveLength(15);
    expect(short.asked).toEqual([1]);
    const stuck = paged(busyAfterThreeReleases(60), true);
    expect(await historyUntil(stuck, () => false)).toHaveLength(HISTORY_PAGE);
    expect(stuck.asked).toEqual([1, 2]);
  });
});
