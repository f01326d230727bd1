import { resolve } from 'node:path';
import { voterIdentity } from '../../../services/economic-governor/governance/zk/commitment.js';
import { proveOwnership } from '../../../services/economic-governor/governance/zk/ownership.js';
import { proveVote } from '../../../services/economic-governor/governance/zk/prove-vote.js';
import {
  VOTE_CHOICES,
  type VoteChoice,
} from '../../../services/economic-governor/governance/zk/vote-signals.js';
import { UsageError } from '../../local-stack/usage-error.js';
import {
  CONNECTION_USAGE,
  connectionOf,
  type GovernanceIo,
  parseCommand,
  required,
  wholeAiaGov,
} from '../command-line.js';
import { type GovernanceClient, governanceClient } from '../governance-client.js';
import {
  findOwnLeaf,
  type ProposalView,
  proposalView,
  type VerifiedSnapshot,
  verifiedSnapshot,
} from '../proposal-snapshot.js';
import { anonymitySet, defaultTier } from '../tier.js';
import { readVoterFile, type VoterFile } from '../voter-file.js';

/** Below this many leaves able to cast a tier, the vote is easy to attribute: say so. */
const FEW_VOTERS = 5;

export const VOTE_USAGE = `governance vote --voter <file> --proposal <id> --choice for|against|abstain [--tier <n>] [--url] [--token]
governance vote --signed --account <id> --proposal <id> --choice ... [--voter <file>] [--url] [--token]

Private (default): reads the proposal and its snapshot, rebuilds the Merkle tree here and checks
its root against the proposal's (refusing to vote when they differ), finds your leaf (your
identity and the stake the governor put in it when the proposal opened), proves the vote on this
machine (a few seconds) and sends the proof; the secret never leaves it. The vote counts a tier,
at most the leaf's weight: by default the weight rounded down to two significant digits, or
--tier <n>. A tier shows only that some leaf weighing at least that much voted; the command says
how many leaves do. Prints the nullifier.
Signed (--signed): a public vote for the account, weighted by its snapshot stake. When the
account has a leaf in the snapshot and the proposal also takes private votes, the governor needs
the leaf's nullifier on this proposal (to refuse a private vote by the same voter): --voter then
proves here that the nullifier is the leaf's (a second or so); the secret never leaves this
machine.
${CONNECTION_USAGE}`;

const isChoice = (value: string): value is VoteChoice => Object.hasOwn(VOTE_CHOICES, value);

/** `governance vote`: a private vote proved here, or a signed one. */
export async function voteCommand(argv: string[], io: GovernanceIo): Promise<number> {
  const values = parseCommand(argv, {
    voter: { type: 'string' },
    proposal: { type: 'string' },
    choice: { type: 'string' },
    tier: { type: 'string' },
    signed: { type: 'boolean', default: false },
    account: { type: 'string' },
  });
  const proposalId = required(values.proposal, 'proposal');
  const choice = required(values.choice, 'choice');
  if (!isChoice(choice)) {
    throw new UsageError(
      `--choice must be one of ${Object.keys(VOTE_CHOICES).join(', ')}, got '${choice}'`,
    );
  }
  const connection = connectionOf(values, io.env);
  const client = governanceClient(connection);
  if (values.signed) {
    if (values.tier !== undefined) throw new UsageError('--tier is for private votes only');
    const account = required(values.account, 'account');
    const voter =
      typeof values.voter === 'string' ? readVoterFile(resolve(values.voter), io.err) : undefined;
    if (voter?.account_id !== undefined && voter.account_id !== account) {
      throw new UsageError(
        `--account ${account} is not the account this voter file was registered for (${voter.account_id})`,
      );
    }
    return signedVote(client, io, { proposalId, choice, account, voter });
  }
  if (values.account !== undefined) {
    throw new UsageError('--account is for signed votes (--signed): a private vote names no one');
  }
  const voter = readVoterFile(resolve(required(values.voter, 'voter')), io.err);
  const tier = values.tier === undefined ? undefined : wholeAiaGov(values.tier, 'tier');
  return privateVote(client, io, { proposalId, choice, voter, tier });
}

async function openProposal(
  client: GovernanceClient,
  io: GovernanceIo,
  proposalId: string,
  mode: 'private' | 'signed',
): Promise<{ proposal: ProposalView; snapshot: () => Promise<VerifiedSnapshot> } | undefined> {
  const proposal = proposalView(await client.proposal(proposalId));
  if (proposal.voidedReason !== undefined) {
    io.err(`proposal ${proposalId} was voided and takes no votes: ${proposal.voidedReason}`);
    return undefined;
  }
  if (!proposal.modes.includes(mode)) {
    io.err(
      `proposal ${proposalId} accepts ${proposal.modes.join(' and ') || 'no'} votes, not ${mode} ones${mode === 'private' ? ' (--signed casts a signed vote)' : ''}`,
    );
    return undefined;
  }
  if (proposal.closesAt && Date.parse(proposal.closesAt) <= Date.now()) {
    io.err(
      `warning: voting closed at ${proposal.closesAt} by this machine's clock; sending anyway`,
    );
  }
  return {
    proposal,
    snapshot: async () => verifiedSnapshot(await client.snapshot(proposalId), proposal),
  };
}

async function privateVote(
  client: GovernanceClient,
  io: GovernanceIo,
  ballot: {
    proposalId: string;
    choice: VoteChoice;
    voter: VoterFile;
    tier: bigint | undefined;
  },
): Promise<number> {
  const opened = await openProposal(client, io, ballot.proposalId, 'private');
  if (!opened) return 1;
  const snapshot = await opened.snapshot();
  const { tree } = snapshot;
  const secret = BigInt(ballot.voter.secret);
  const leaf = findOwnLeaf(snapshot, voterIdentity(secret));
  if (!leaf) {
    io.err(
      `your identity has no leaf among the snapshot's ${tree.size} voters: registered after the proposal opened, no AIA_GOV staked then, or registered from another voter file`,
    );
    return 1;
  }
  const tier = ballot.tier ?? defaultTier(leaf.weight);
  if (tier > leaf.weight) {
    io.err(`--tier must be at most your leaf's weight ${leaf.weight}, got ${tier}`);
    return 1;
  }
  const hiddenAmong = anonymitySet(snapshot.weights, tier);
  io.err(
    `snapshot checked: root ${tree.root}, ${tree.size} voters, your leaf weighs ${leaf.weight}; counting tier ${tier}, which ${hiddenAmong} of the ${tree.size} leaves could have cast (by the weights the governor reports); proving (a few seconds)`,
  );
  if (hiddenAmong < FEW_VOTERS) {
    io.err(
      `warning: only ${hiddenAmong} leaves weigh at least ${tier}: a lower --tier hides this vote among more voters`,
    );
  }
  const vote = await proveVote({
    secret,
    weight: leaf.weight,
    path: tree.path(leaf.index),
    root: tree.root,
    proposalId: opened.proposal.proposalField,
    choice: ballot.choice,
    tier,
  });
  io.out(`nullifier ${vote.statement.nullifier}`);
  const answer = await client.castPrivateVote({
    proposal_id: ballot.proposalId,
    proof: vote.proof,
    public_signals: vote.publicSignals,
    choice: ballot.choice,
  });
  io.out(JSON.stringify(answer, null, 2));
  return 0;
}

async function signedVote(
  client: GovernanceClient,
  io: GovernanceIo,
  ballot: { proposalId: string; choice: VoteChoice; account: string; voter?: VoterFile },
): Promise<number> {
  const opened = await openProposal(client, io, ballot.proposalId, 'signed');
  if (!opened) return 1;
  let ownership: { nullifier: string; proof: object } | undefined;
  if (ballot.voter !== undefined && opened.proposal.modes.includes('private')) {
    const snapshot = await opened.snapshot();
    const secret = BigInt(ballot.voter.secret);
    if (findOwnLeaf(snapshot, voterIdentity(secret))) {
      io.err(
        'your identity has a leaf in this snapshot: proving its nullifier here (a second or so)',
      );
      const owned = await proveOwnership({ secret, proposalId: opened.proposal.proposalField });
      ownership = { nullifier: owned.nullifier.toString(), proof: owned.proof };
    }
  }
  const answer = await client.castVote(ballot.proposalId, {
    mode: 'signed',
    account_id: ballot.account,
    choice: ballot.choice,
    ...(ownership === undefined ? {} : { ownership }),
  });
  io.out(JSON.stringify(answer, null, 2));
  return 0;
}
