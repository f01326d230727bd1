import { poseidon2 } from 'poseidon-lite';
import { SCALAR_FIELD } from './field.js';

/** Levels of every snapshot tree; the vote circuit is compiled for this depth. */
export const SNAPSHOT_DEPTH = 20;

/** How many voters one snapshot can hold. */
export const SNAPSHOT_CAPACITY = 2 ** SNAPSHOT_DEPTH;

/** The path from one leaf to the root: siblings bottom-up, 1 where the node is a right child. */
export interface SnapshotPath {
  readonly leafIndex: number;
  readonly pathElements: readonly bigint[];
  readonly pathIndices: readonly (0 | 1)[];
}

// zeros[i]: the root of an empty subtree of height i (empty leaves are 0).
const zeros: bigint[] = [0n];
for (let level = 0; level < SNAPSHOT_DEPTH; level++) {
  const below = zeros[level] as bigint;
  zeros.push(poseidon2([below, below]));
}

/**
 * A fixed-depth binary Poseidon Merkle tree over voter commitments, as the vote circuit checks
 * it. Leaves are kept in the order given; unfilled leaves are 0, which no commitment equals.
 */
export class SnapshotTree {
  readonly #levels: bigint[][];

  constructor(commitments: readonly bigint[]) {
    if (commitments.length > SNAPSHOT_CAPACITY) {
      throw new RangeError(`a snapshot holds at most ${SNAPSHOT_CAPACITY} voters`);
    }
    for (const commitment of commitments) {
      if (commitment <= 0n || commitment >= SCALAR_FIELD) {
        throw new RangeError('every commitment must be a non-zero element of the scalar field');
      }
    }
    this.#levels = [[...commitments]];
    for (let level = 0; level < SNAPSHOT_DEPTH; level++) {
      const nodes = this.#levels[level] as bigint[];
      const parents: bigint[] = [];
      for (let index = 0; index < nodes.length; index += 2) {
        parents.push(
          poseidon2([nodes[index] as bigint, nodes[index + 1] ?? (zeros[level] as bigint)]),
        );
      }
      this.#levels.push(parents);
    }
  }

  /** How many voters the snapshot holds. */
  get size(): number {
    return (this.#levels[0] as bigint[]).length;
  }

  /** The public root a proposal records and every vote proves against. */
  get root(): bigint {
    return this.#levels[SNAPSHOT_DEPTH]?.[0] ?? (zeros[SNAPSHOT_DEPTH] as bigint);
  }

  /** Where a commitment sits, or -1 when it is not in the snapshot. */
  indexOf(commitment: bigint): number {
    return (this.#levels[0] as bigint[]).indexOf(commitment);
  }

  /** The Merkle path of the leaf at `leafIndex`. */
  path(leafIndex: number): SnapshotPath {
    if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.size) {
      throw new RangeError(`leafIndex must be an index of the snapshot (0 to ${this.size - 1})`);
    }
    const pathElements: bigint[] = [];
    const pathIndices: (0 | 1)[] = [];
    let index = leafIndex;
    for (let level = 0; level < SNAPSHOT_DEPTH; level++) {
      const sibling = index ^ 1;
      pathElements.push(this.#levels[level]?.[sibling] ?? (zeros[level] as bigint));
      pathIndices.push((index & 1) as 0 | 1);
      index >>= 1;
    }
    return { leafIndex, pathElements, pathIndices };
  }
}
