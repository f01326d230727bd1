pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";

// The root of a binary Poseidon Merkle tree of `depth` levels, from one leaf and its path.
// pathIndices[i] is 1 when the node at level i is a right child.
template SnapshotRoot(depth) {
    signal input leaf;
    signal input pathElements[depth];
    signal input pathIndices[depth];
    signal output root;

    component hashers[depth];
    signal nodes[depth + 1];
    signal left[depth];
    signal right[depth];
    nodes[0] <== leaf;
    for (var i = 0; i < depth; i++) {
        // A path index other than 0 or 1 would let a prover mix sibling and node.
        pathIndices[i] * (1 - pathIndices[i]) === 0;
        left[i] <== nodes[i] + pathIndices[i] * (pathElements[i] - nodes[i]);
        right[i] <== pathElements[i] + nodes[i] - left[i];
        hashers[i] = Poseidon(2);
        hashers[i].inputs[0] <== left[i];
        hashers[i].inputs[1] <== right[i];
        nodes[i + 1] <== hashers[i].out;
    }
    root <== nodes[depth];
}

// A private vote on one proposal by one leaf of the proposal's snapshot.
// Public: the snapshot root, the proposal, the nullifier, the choice and the tier counted.
// Private: the voter's secret, the weight their leaf carries, the leaf's Merkle path.
template Vote(depth) {
    signal input root;
    signal input proposalId;
    signal input nullifier;
    signal input choice;
    signal input tier;

    signal input secret;
    signal input weight;
    signal input pathElements[depth];
    signal input pathIndices[depth];

    // The leaf: commitment = Poseidon(secret, weight), registered before the snapshot.
    component commitment = Poseidon(2);
    commitment.inputs[0] <== secret;
    commitment.inputs[1] <== weight;

    component snapshot = SnapshotRoot(depth);
    snapshot.leaf <== commitment.out;
    for (var i = 0; i < depth; i++) {
        snapshot.pathElements[i] <== pathElements[i];
        snapshot.pathIndices[i] <== pathIndices[i];
    }
    root === snapshot.root;

    // Three inputs (a width the commitment never uses) and a domain tag keep a nullifier from
    // ever equalling a commitment, whatever the proposal id.
    component nullifierHash = Poseidon(3);
    nullifierHash.inputs[0] <== 1;
    nullifierHash.inputs[1] <== secret;
    nullifierHash.inputs[2] <== proposalId;
    nullifier === nullifierHash.out;

    // 0 against, 1 for, 2 abstain: a product that vanishes only on those three values.
    signal choiceTimesOneLess;
    choiceTimesOneLess <== choice * (choice - 1);
    choiceTimesOneLess * (choice - 2) === 0;

    // weight >= tier, both proven to fit 64 bits so the comparison cannot wrap around the field.
    component weightBits = Num2Bits(64);
    weightBits.in <== weight;
    component tierBits = Num2Bits(64);
    tierBits.in <== tier;
    component atLeastTier = GreaterEqThan(64);
    atLeastTier.in[0] <== weight;
    atLeastTier.in[1] <== tier;
    atLeastTier.out === 1;
}

component main {public [root, proposalId, nullifier, choice, tier]} = Vote(20);
