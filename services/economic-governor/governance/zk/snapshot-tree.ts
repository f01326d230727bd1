import { LeanIMT } from '@zk-kit/lean-imt';
import { poseidon2 } from 'poseidon-lite';
import { SCALAR_FIELD } from './field.js';

/** The deepest snapshot tree the vote circuit takes (its MAX_DEPTH). */
export const SNAPSHOT_DEPTH = 20;

/** How many voters one snapshot can hold. */
export const SNAPSHOT_CAPACITY = 2 ** SNAPSHOT_DEPTH;

/** The root recorded for a snapshot without leaves: no vote proof can be made against it. */
export const EMPTY_SNAPSHOT_ROOT = 0n;

/**
 * A leaf's Merkle proof as the circuit's BinaryMerkleRoot takes it: `depth` siblings on the path
 * (a LeanIMT skips the levels where a node has no sibling), the bits of `index` saying which side
 * each is on, and the siblings padded with 0 to SNAPSHOT_DEPTH.
 */
export interface SnapshotPath {
  readonly leafIndex: number;
  readonly depth: number;
  readonly index: bigint;
  readonly siblings: readonly bigint[];
}

const hash = (left: bigint, right: bigint): bigint => poseidon2([left, right]);

/**
 * The snapshot's Merkle tree over its leaves, a LeanIMT (@zk-kit/lean-imt, Poseidon), the tree
 * the circuit's @zk-kit BinaryMerkleRoot checks. Leaves are kept in the order given.
 */
export class SnapshotTree {
  readonly #tree: LeanIMT<bigint>;

  constructor(leaves: readonly bigint[]) {
    if (leaves.length > SNAPSHOT_CAPACITY) {
      throw new RangeError(`a snapshot holds at most ${SNAPSHOT_CAPACITY} voters`);
    }
    for (const leaf of leaves) {
      if (leaf <= 0n || leaf >= SCALAR_FIELD) {
        throw new RangeError('every leaf must be a non-zero element of the scalar field');
      }
    }
    this.#tree = new LeanIMT(hash, [...leaves]);
  }

  /** How many voters the snapshot holds. */
  get size(): number {
    return this.#tree.size;
  }

  /** The public root a proposal records and every vote proves against (0 when empty). */
  get root(): bigint {
    return this.size === 0 ? EMPTY_SNAPSHOT_ROOT : this.#tree.root;
  }

  /** Where a leaf sits, or -1 when it is not in the snapshot. */
  indexOf(leaf: bigint): number {
    return this.#tree.indexOf(leaf);
  }

  /** The Merkle proof of the leaf at `leafIndex`. */
  path(leafIndex: number): SnapshotPath {
    if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.size) {
      throw new RangeError(`leafIndex must be an index of the snapshot (0 to ${this.size - 1})`);
    }
    const proof = this.#tree.generateProof(leafIndex);
    const siblings = [...proof.siblings];
    while (siblings.length < SNAPSHOT_DEPTH) siblings.push(0n);
    return {
      leafIndex,
      depth: proof.siblings.length,
      index: BigInt(proof.index),
      siblings,
    };
  }
}
