import { describe, expect, it } from 'vitest';
import { type PathEntry, refusePlacement, refuseRetirement } from './hierarchy.js';

const path = (...ids: string[]): PathEntry[] => ids.map((id) => ({ id, status: 'active' }));

describe('placing an agent in the hierarchy', () => {
  it('accepts a root, and a manager within the depth limit', () => {
    expect(refusePlacement({ managerPath: [], subtreeHeight: 3, maxDepth: 1 })).toBeUndefined();
    // Manager at depth 3, the new agent at depth 4: the limit exactly.
    expect(
      refusePlacement({ managerPath: path('r', 'a', 'b', 'c'), subtreeHeight: 0, maxDepth: 4 }),
    ).toBeUndefined();
  });

  it('counts the moved subtree: its deepest agent must stay within the limit', () => {
    expect(
      refusePlacement({
        agentId: 'x',
        managerPath: path('r', 'a', 'b'),
        subtreeHeight: 1,
        maxDepth: 4,
      }),
    ).toBeUndefined();
    expect(
      refusePlacement({
        agentId: 'x',
        managerPath: path('r', 'a', 'b', 'c'),
        subtreeHeight: 1,
        maxDepth: 4,
      }),
    ).toMatchObject({ code: 'delegation_too_deep', field: 'manager_id' });
  });

  it('refuses a manager below the agent, or the agent itself, as a cycle', () => {
    expect(
      refusePlacement({
        agentId: 'a',
        managerPath: path('r', 'a', 'b'),
        subtreeHeight: 1,
        maxDepth: 9,
      }),
    ).toMatchObject({ code: 'hierarchy_cycle' });
    expect(
      refusePlacement({ agentId: 'a', managerPath: path('a'), subtreeHeight: 0, maxDepth: 9 }),
    ).toMatchObject({ code: 'hierarchy_cycle', reason: 'an agent cannot be its own manager' });
  });

  it('names a retired manager first, before any other rule', () => {
    const retiredManager: PathEntry[] = [...path('a', 'b'), { id: 'c', status: 'retired' }];
    expect(
      refusePlacement({ agentId: 'a', managerPath: retiredManager, subtreeHeight: 9, maxDepth: 1 }),
    ).toMatchObject({ code: 'manager_retired' });
  });
});

describe('retiring an agent', () => {
  it('is refused while active agents report to it', () => {
    expect(refuseRetirement('a', 0)).toBeUndefined();
    expect(refuseRetirement('a', 2)).toMatchObject({ code: 'has_active_reports' });
  });
});
