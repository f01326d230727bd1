/** A vote's choice: 0 against, 1 for, 2 abstain (the circuit accepts nothing else). */
export const VOTE_CHOICES = { against: 0n, for: 1n, abstain: 2n } as const;

export type VoteChoice = keyof typeof VOTE_CHOICES;

/** The public signals of a vote proof, in the circuit's order. */
export const PUBLIC_SIGNAL_NAMES = ['root', 'proposalId', 'nullifier', 'choice', 'tier'] as const;

export type PublicSignalName = (typeof PUBLIC_SIGNAL_NAMES)[number];

/** What a vote proof makes public: everything the server may count and check. */
export type VoteStatement = { readonly [name in PublicSignalName]: bigint };

/** The statement as the ordered decimal strings snarkjs proves and verifies. */
export const toPublicSignals = (statement: VoteStatement): string[] =>
  PUBLIC_SIGNAL_NAMES.map((name) => statement[name].toString());
