import { snapshotLeaf } from '../../services/economic-governor/governance/zk/commitment.js';
import { parseDecimal } from '../../services/economic-governor/governance/zk/field.js';
import { SnapshotTree } from '../../services/economic-governor/governance/zk/snapshot-tree.js';

/** What a vote needs from `GET /v1/governance/proposals/{id}`. */
export interface ProposalView {
  /** The proposal's id as an element of the scalar field: what the proof binds. */
  readonly proposalField: bigint;
  /** The snapshot root recorded when the proposal opened. */
  readonly root: bigint;
  /** The vote modes the proposal accepts: `private`, `signed`. */
  readonly modes: readonly string[];
  readonly closesAt?: string;
  /** Why the proposal takes no votes, when it was voided (migration 004). */
  readonly voidedReason?: string;
}

/** The governor answered something a vote cannot be built on. */
export class UnusableAnswer extends Error {
  override readonly name = 'UnusableAnswer';
}

/**
 * The snapshot rebuilt here does not have the proposal's root: the server is lying, or the
 * snapshot it serves is not the one the proposal opened with. A proof against it would be
 * refused, or worse, made against a tree the voter never checked.
 */
export class SnapshotMismatch extends Error {
  override readonly name = 'SnapshotMismatch';
}

const decimal = (body: Record<string, unknown>, field: string, what: string): bigint => {
  const value = parseDecimal(body[field]);
  if (value === undefined) throw new UnusableAnswer(`${what}: ${field} is not a decimal string`);
  return value;
};

const object = (body: unknown, what: string): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null) throw new UnusableAnswer(`${what}: not an object`);
  return body as Record<string, unknown>;
};

/**
 * Reads the fields a vote uses from the governor's answer (`{ proposal: { ... } }`), refusing
 * an answer without them.
 */
export function proposalView(body: unknown): ProposalView {
  const what = "the governor's proposal";
  const proposal = object(object(body, what).proposal, what);
  const modes = proposal.modes;
  if (!Array.isArray(modes) || !modes.every((mode) => typeof mode === 'string')) {
    throw new UnusableAnswer(`${what}: modes is not a list of strings`);
  }
  const view = {
    proposalField: decimal(proposal, 'proposal_field', what),
    root: decimal(proposal, 'root', what),
    modes,
  };
  return {
    ...view,
    ...(typeof proposal.closes_at === 'string' ? { closesAt: proposal.closes_at } : {}),
    ...(proposal.state === 'voided'
      ? { voidedReason: String(proposal.voided_reason ?? 'no reason given') }
      : {}),
  };
}

/** A snapshot the voter rebuilt and checked, with each leaf's served weight (if any). */
export interface VerifiedSnapshot {
  readonly tree: SnapshotTree;
  readonly leaves: readonly bigint[];
  readonly weights: readonly (bigint | undefined)[];
}

const decimals = (list: unknown, field: string, what: string, nullable: boolean) => {
  if (!Array.isArray(list)) throw new UnusableAnswer(`${what}: ${field} is not a list`);
  return list.map((item, index) => {
    const value = parseDecimal(item);
    if (value === undefined && !(nullable && item === null)) {
      throw new UnusableAnswer(`${what}: ${field}[${index}] is not a decimal string`);
    }
    return value;
  });
};

/**
 * Rebuilds the snapshot tree from the served leaves and checks it against the proposal's root
 * (and the served root and size): the voter trusts only a tree they computed themselves. A served
 * weight counts for the voter's own leaf only when it rebuilds that leaf; the others are taken
 * as the governor reports them (they only size the anonymity set the CLI reports).
 */
export function verifiedSnapshot(body: unknown, proposal: ProposalView): VerifiedSnapshot {
  const what = "the governor's snapshot";
  const snapshot = object(body, what);
  const commitments = decimals(snapshot.leaves, 'leaves', what, false) as bigint[];
  const weights = decimals(snapshot.leaf_weights, 'leaf_weights', what, true);
  if (weights.length !== commitments.length) {
    throw new UnusableAnswer(
      `${what}: ${weights.length} leaf_weights for ${commitments.length} leaves`,
    );
  }
  let tree: SnapshotTree;
  try {
    tree = new SnapshotTree(commitments);
  } catch (error) {
    throw new UnusableAnswer(`${what}: ${(error as Error).message}`);
  }
  const servedRoot = decimal(snapshot, 'root', what);
  if (tree.root !== proposal.root || servedRoot !== proposal.root) {
    throw new SnapshotMismatch(
      `the snapshot's ${commitments.length} leaves hash to root ${tree.root}, the snapshot says ${servedRoot}, the proposal recorded ${proposal.root}: the server's snapshot is not the proposal's (changed, or the server is lying); not voting`,
    );
  }
  if (snapshot.size !== commitments.length) {
    throw new SnapshotMismatch(
      `the snapshot says size ${String(snapshot.size)} but serves ${commitments.length} leaves; not voting`,
    );
  }
  return { tree, leaves: commitments, weights };
}

/**
 * The voter's own leaf: the position whose leaf is Poseidon(identity, its served weight), and
 * that weight (what the server put in it: the account's stake at the opening).
 */
export function findOwnLeaf(
  snapshot: VerifiedSnapshot,
  identity: bigint,
): { index: number; weight: bigint } | undefined {
  const candidates = new Map<bigint, bigint>();
  for (const [index, weight] of snapshot.weights.entries()) {
    if (weight === undefined) continue;
    let candidate = candidates.get(weight);
    if (candidate === undefined) {
      candidate = snapshotLeaf(identity, weight);
      candidates.set(weight, candidate);
    }
    if (snapshot.leaves[index] === candidate) return { index, weight };
  }
  return undefined;
}
