import { poseidon2 } from 'poseidon-lite';
import { describe, expect, it } from 'vitest';
import { MAX_WEIGHT, newVoterSecret, snapshotLeaf, voterIdentity } from './commitment.js';
import { EMPTY_SNAPSHOT_ROOT, SNAPSHOT_DEPTH, SnapshotTree } from './snapshot-tree.js';

/** The root as the circuit's BinaryMerkleRoot computes it from a leaf and its proof. */
const rootFromPath = (leaf: bigint, tree: SnapshotTree, leafIndex: number): bigint => {
  const { depth, index, siblings } = tree.path(leafIndex);
  let node = leaf;
  for (let level = 0; level < depth; level++) {
    const sibling = siblings[level] as bigint;
    node = (index >> BigInt(level)) & 1n ? poseidon2([sibling, node]) : poseidon2([node, sibling]);
  }
  return node;
};

const leafOf = (weight: bigint) => snapshotLeaf(voterIdentity(newVoterSecret()), weight);

describe('SnapshotTree', () => {
  const leaves = [3n, 10n, 7n, 1n, 5n].map(leafOf);
  const tree = new SnapshotTree(leaves);

  it("gives every leaf a proof padded to the circuit's depth that leads back to the root", () => {
    for (const [index, leaf] of leaves.entries()) {
      const path = tree.path(index);
      expect(path.siblings).toHaveLength(SNAPSHOT_DEPTH);
      expect(path.siblings.slice(path.depth).every((sibling) => sibling === 0n)).toBe(true);
      expect(rootFromPath(leaf, tree, index)).toBe(tree.root);
    }
  });

  it('changes its root when any leaf changes', () => {
    const altered = new SnapshotTree([leaves[0] as bigint, 99n, ...leaves.slice(2)]);
    expect(altered.root).not.toBe(tree.root);
  });

  it('finds a leaf, and says -1 for one it does not hold', () => {
    expect(tree.indexOf(leaves[2] as bigint)).toBe(2);
    expect(tree.indexOf(12345n)).toBe(-1);
  });

  it('refuses a path for an index outside the snapshot, naming it', () => {
    expect(() => tree.path(5)).toThrow(/leafIndex/);
  });

  it('refuses a zero leaf', () => {
    expect(() => new SnapshotTree([0n])).toThrow(/leaf/);
  });

  it('records an empty snapshot with the root no proof reaches', () => {
    expect(new SnapshotTree([]).root).toBe(EMPTY_SNAPSHOT_ROOT);
  });
});

describe('snapshotLeaf', () => {
  it('binds the weight: the same identity at another weight is another leaf', () => {
    const identity = voterIdentity(newVoterSecret());
    expect(snapshotLeaf(identity, 10n)).not.toBe(snapshotLeaf(identity, 11n));
  });

  it("refuses a weight beyond the circuit's 64 bits, naming it", () => {
    expect(() => snapshotLeaf(voterIdentity(newVoterSecret()), MAX_WEIGHT + 1n)).toThrow(/weight/);
  });
});

describe('voterIdentity', () => {
  it('refuses a zero secret', () => {
    expect(() => voterIdentity(0n)).toThrow(/secret/);
  });
});
