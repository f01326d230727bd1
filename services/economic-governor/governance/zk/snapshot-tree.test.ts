import { poseidon2 } from 'poseidon-lite';
import { describe, expect, it } from 'vitest';
import { MAX_WEIGHT, newVoterSecret, voterCommitment } from './commitment.js';
import { SNAPSHOT_DEPTH, SnapshotTree } from './snapshot-tree.js';

const rootFromPath = (leaf: bigint, tree: SnapshotTree, index: number): bigint => {
  const { pathElements, pathIndices } = tree.path(index);
  return pathElements.reduce(
    (node, sibling, level) =>
      pathIndices[level] ? poseidon2([sibling, node]) : poseidon2([node, sibling]),
    leaf,
  );
};

describe('SnapshotTree', () => {
  const commitments = [3n, 10n, 7n].map((weight) => voterCommitment(newVoterSecret(), weight));
  const tree = new SnapshotTree(commitments);

  it("gives every leaf a path of the circuit's depth that leads back to the root", () => {
    for (const [index, commitment] of commitments.entries()) {
      expect(tree.path(index).pathElements).toHaveLength(SNAPSHOT_DEPTH);
      expect(rootFromPath(commitment, tree, index)).toBe(tree.root);
    }
  });

  it('changes its root when any leaf changes', () => {
    const altered = new SnapshotTree([commitments[0] as bigint, 99n, commitments[2] as bigint]);
    expect(altered.root).not.toBe(tree.root);
  });

  it('finds a commitment, and says -1 for one it does not hold', () => {
    expect(tree.indexOf(commitments[2] as bigint)).toBe(2);
    expect(tree.indexOf(12345n)).toBe(-1);
  });

  it('refuses a path for an index outside the snapshot, naming it', () => {
    expect(() => tree.path(3)).toThrow(/leafIndex/);
  });

  it('refuses a zero commitment, which would match an empty leaf', () => {
    expect(() => new SnapshotTree([0n])).toThrow(/commitment/);
  });
});

describe('voterCommitment', () => {
  it("refuses a weight beyond the circuit's 64 bits, naming it", () => {
    expect(() => voterCommitment(newVoterSecret(), MAX_WEIGHT + 1n)).toThrow(/weight/);
  });

  it('refuses a zero secret', () => {
    expect(() => voterCommitment(0n, 1n)).toThrow(/secret/);
  });
});
