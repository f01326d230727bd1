pragma circom 2.1.5;

include "circomlib/circuits/poseidon.circom";

// A signed vote's proof that its nullifier belongs to the account's leaf, without the secret.
// Public: the account's registered identity, the proposal, the nullifier. Private: the secret.
// The nullifier is the one a private vote by the same secret would publish on the proposal, so
// the governor refuses the second of the two however they arrive, and never sees the secret.
template Ownership() {
    signal input identity;
    signal input proposalId;
    signal input nullifier;

    signal input secret;

    signal derivedIdentity <== Poseidon(1)([secret]);
    identity === derivedIdentity;
    signal derivedNullifier <== Poseidon(3)([1, secret, proposalId]);
    nullifier === derivedNullifier;
}

component main {public [identity, proposalId, nullifier]} = Ownership();
