pragma circom 2.1.5;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "@zk-kit/binary-merkle-root.circom/src/binary-merkle-root.circom";

// A private vote on one proposal by one leaf of the proposal's snapshot.
// Public: the snapshot root, the proposal, the nullifier, the choice and the tier counted.
// Private: the voter's secret, the weight their leaf carries, the leaf's Merkle proof.
//
// The voter registers only identity = Poseidon(secret). The server builds every leaf as
// Poseidon(identity, weight) from the stake it checked when the proposal opened, so the weight a
// proof can claim is the weight the server put in the tree, never one the voter chose.
template Vote(MAX_DEPTH) {
    signal input root;
    signal input proposalId;
    signal input nullifier;
    signal input choice;
    signal input tier;

    signal input secret;
    signal input weight;
    // The snapshot's tree is a LeanIMT (@zk-kit/lean-imt): the proof's length is the number of
    // siblings on the leaf's path, at most MAX_DEPTH; the siblings beyond it are 0.
    signal input depth;
    signal input index;
    signal input siblings[MAX_DEPTH];

    signal identity <== Poseidon(1)([secret]);
    signal leaf <== Poseidon(2)([identity, weight]);

    // BinaryMerkleRoot answers 0 for a depth above MAX_DEPTH: bound it here. The comparator
    // assumes its inputs fit its width, so depth is first proven to fit 5 bits (else a depth near
    // the field's modulus wraps around and passes); the server also refuses root 0 outright.
    signal depthBits[5] <== Num2Bits(5)(depth);
    signal depthFits <== LessEqThan(5)([depth, MAX_DEPTH]);
    depthFits === 1;
    signal snapshotRoot <== BinaryMerkleRoot(MAX_DEPTH)(leaf, depth, index, siblings);
    root === snapshotRoot;

    // Three inputs (a width neither the identity nor the leaf uses) and a domain tag keep a
    // nullifier from ever equalling an identity or a leaf, whatever the proposal id.
    signal nullifierHash <== Poseidon(3)([1, secret, proposalId]);
    nullifier === nullifierHash;

    // 0 against, 1 for, 2 abstain: a product that vanishes only on those three values.
    signal choiceTimesOneLess <== choice * (choice - 1);
    choiceTimesOneLess * (choice - 2) === 0;

    // weight >= tier, both proven to fit 64 bits so the comparison cannot wrap around the field.
    signal weightBits[64] <== Num2Bits(64)(weight);
    signal tierBits[64] <== Num2Bits(64)(tier);
    signal atLeastTier <== GreaterEqThan(64)([weight, tier]);
    atLeastTier === 1;
}

component main {public [root, proposalId, nullifier, choice, tier]} = Vote(20);
