import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownershipArtifacts } from '../../services/economic-governor/governance/zk/artifacts.js';
import {
  newVoterSecret,
  snapshotLeaf,
  voterIdentity,
} from '../../services/economic-governor/governance/zk/commitment.js';
import { voteNullifier } from '../../services/economic-governor/governance/zk/nullifier.js';
import { verifyOwnership } from '../../services/economic-governor/governance/zk/ownership.js';
import { SnapshotTree } from '../../services/economic-governor/governance/zk/snapshot-tree.js';
import { readVerificationKey } from '../../services/economic-governor/governance/zk/verify-vote.js';
import { EX_USAGE } from '../local-stack/usage-error.js';
import { runGovernance } from './run-governance.js';
import {
  type ScriptedLeaf,
  type ScriptedProposal,
  startScriptedGovernor,
} from './testing/scripted-governor.js';
import type { VoterFile } from './voter-file.js';

const TOKEN = 'voter-token';
const ACCOUNT = 'acct-ada';
const WEIGHT = 1_250n;
const TIER = 1_000n;
const PROPOSAL_ID = '0b7f5c1e-6a0d-4c39-9a57-2f1d2c3e4a5b';
const PROPOSAL_FIELD = 987_654_321_123_456_789n;
const SOON = new Date(Date.now() + 3_600_000).toISOString();
const OWNER_ONLY = 0o600;

const directory = mkdtempSync(join(tmpdir(), 'governance-cli-'));
const servers: { close(): Promise<void> }[] = [];

afterAll(async () => {
  for (const server of servers) await server.close();
  rmSync(directory, { recursive: true, force: true });
  // snarkjs keeps the curve's worker threads alive after proving until told otherwise.
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

async function governance(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runGovernance(argv, {
    env: { AIA_TOKEN: TOKEN },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function governor(proposal: Partial<ScriptedProposal> & { leaves: ScriptedLeaf[] }) {
  const tree = new SnapshotTree(proposal.leaves.map(({ leaf }) => leaf));
  const server = await startScriptedGovernor({
    id: PROPOSAL_ID,
    proposalField: PROPOSAL_FIELD,
    root: tree.root,
    modes: ['private', 'signed'],
    closesAt: SOON,
    ...proposal,
  });
  servers.push(server);
  return server;
}

const readVoter = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as VoterFile;
const leafOf = (identity: bigint, weight: bigint): ScriptedLeaf => ({
  leaf: snapshotLeaf(identity, weight),
  weight,
});
const others = [newVoterSecret(), newVoterSecret()].map((secret) =>
  leafOf(voterIdentity(secret), 40n),
);

/** A voter file registered for ACCOUNT, its identity, and its leaf in a snapshot (WEIGHT staked). */
async function registeredVoter(name: string) {
  const file = join(directory, `${name}.json`);
  expect((await governance('init', '--out', file)).code).toBe(0);
  const server = await governor({ leaves: others });
  const registered = await governance(
    'register',
    '--voter',
    file,
    '--account',
    ACCOUNT,
    '--url',
    server.url,
  );
  expect(registered.code, registered.err).toBe(0);
  const voter = readVoter(file);
  const commitment = voterIdentity(BigInt(voter.secret));
  return {
    file,
    secret: BigInt(voter.secret),
    commitment,
    leaf: leafOf(commitment, WEIGHT),
    registration: server.requests,
  };
}

describe('governance init', () => {
  it('writes a new secret to a file only its owner can read, and never replaces one', async () => {
    const file = join(directory, 'init.json');
    const made = await governance('init', '--out', file);
    expect(made.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(OWNER_ONLY);
    const written = readFileSync(file, 'utf8');
    const { secret } = JSON.parse(written) as VoterFile;
    expect(BigInt(secret)).toBeGreaterThan(0n);
    expect(made.out).not.toContain(secret);

    const again = await governance('init', '--out', file);
    expect(again.code).toBe(EX_USAGE);
    expect(again.err).toContain('--out');
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('names the missing flag', async () => {
    const missing = await governance('init');
    expect(missing.code).toBe(EX_USAGE);
    expect(missing.err).toContain('--out is required');
  });
});

describe('governance register', () => {
  it('sends the identity computed here and no weight, never the secret', async () => {
    const voter = await registeredVoter('register');
    expect(voter.registration).toHaveLength(1);
    const [put] = voter.registration;
    expect(put?.method).toBe('PUT');
    expect(put?.path).toBe(`/v1/governance/voters/${ACCOUNT}`);
    expect(put?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(put?.body ?? '')).toEqual({ commitment: voter.commitment.toString() });
    expect(JSON.stringify(put)).not.toContain(voter.secret.toString());
    expect(readVoter(voter.file)).toMatchObject({
      account_id: ACCOUNT,
      commitment: voter.commitment.toString(),
    });
    expect(statSync(voter.file).mode & 0o777).toBe(OWNER_ONLY);
  });

  it('refuses --weight: the voter does not choose their weight, and sends nothing', async () => {
    const file = join(directory, 'weighted.json');
    await governance('init', '--out', file);
    const server = await governor({ leaves: others });
    const refused = await governance(
      'register',
      '--voter',
      file,
      '--account',
      ACCOUNT,
      '--weight=1000',
      '--url',
      server.url,
    );
    expect(refused.code).toBe(EX_USAGE);
    expect(refused.err).toContain('--weight');
    expect(server.requests).toEqual([]);
  });
});

describe('a private vote, proved on the voter machine', () => {
  let voter: Awaited<ReturnType<typeof registeredVoter>>;
  let server: Awaited<ReturnType<typeof governor>>;
  let vote: Awaited<ReturnType<typeof governance>>;
  beforeAll(async () => {
    voter = await registeredVoter('private');
    server = await governor({ leaves: [...others, voter.leaf] });
    vote = await governance(
      'vote',
      '--voter',
      voter.file,
      '--proposal',
      PROPOSAL_ID,
      '--choice',
      'for',
      '--tier',
      String(TIER),
      '--url',
      server.url,
    );
  }, 60_000);

  it('reads the proposal and its snapshot, then posts a proof the governor verifies', () => {
    expect(vote.code, vote.err).toBe(0);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /v1/governance/proposals/${PROPOSAL_ID}`,
      `GET /v1/governance/proposals/${PROPOSAL_ID}/snapshot`,
      'POST /v1/governance/private-votes',
    ]);
    const ballot = JSON.parse(server.requests[2]?.body ?? '') as Record<string, unknown>;
    expect(Object.keys(ballot).sort()).toEqual([
      'choice',
      'proof',
      'proposal_id',
      'public_signals',
    ]);
    expect(ballot).toMatchObject({ proposal_id: PROPOSAL_ID, choice: 'for' });
    // Without the token the reads carried: nothing names the voter.
    expect(server.requests[2]?.headers.authorization).toBeUndefined();
    const nullifier = voteNullifier(voter.secret, PROPOSAL_FIELD).toString();
    // The governor verified it (a refusal would be a 422): it counts the tier, not the weight.
    expect(vote.out).toContain(`nullifier ${nullifier}`);
    expect(JSON.parse(vote.out.slice(vote.out.indexOf('{')))).toEqual({
      vote: { mode: 'private', nullifier, weight: String(TIER), choice: 'for' },
    });
  });

  it('sends the secret in no request, and prints it nowhere', () => {
    const secret = voter.secret.toString();
    const hex = voter.secret.toString(16);
    for (const request of server.requests) {
      const seen = JSON.stringify(request);
      expect(seen).not.toContain(secret);
      expect(seen).not.toContain(hex);
    }
    expect(vote.out + vote.err).not.toContain(secret);
  });
});

describe('refused before proving', () => {
  let voter: Awaited<ReturnType<typeof registeredVoter>>;
  beforeAll(async () => {
    voter = await registeredVoter('refused');
  });
  const vote = (url: string, ...extra: string[]) =>
    governance(
      'vote',
      '--voter',
      voter.file,
      '--proposal',
      PROPOSAL_ID,
      '--choice',
      'against',
      '--url',
      url,
      ...extra,
    );
  const posted = (requests: { method: string }[]) =>
    requests.filter((request) => request.method === 'POST');

  it('a snapshot whose leaves do not hash to the proposal root: the server changed it or lies', async () => {
    const server = await governor({
      leaves: [...others, voter.leaf],
      snapshotLeaves: [voter.leaf, ...others],
    });
    const refused = await vote(server.url);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("the server's snapshot is not the proposal's");
    expect(posted(server.requests)).toEqual([]);
  });

  it('a voter whose identity has no leaf in the snapshot', async () => {
    const server = await governor({ leaves: others });
    const refused = await vote(server.url);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('your identity has no leaf among the snapshot');
    expect(posted(server.requests)).toEqual([]);
  });

  it('a served weight that does not rebuild the leaf: the voter finds no leaf of theirs', async () => {
    // The server claims a larger weight for the voter's leaf than the leaf holds.
    const server = await governor({
      leaves: [...others, voter.leaf],
      snapshotLeaves: [...others, { leaf: voter.leaf.leaf, weight: WEIGHT * 10n }],
    });
    const refused = await vote(server.url);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('your identity has no leaf among the snapshot');
    expect(posted(server.requests)).toEqual([]);
  });

  it('a proposal that accepts signed votes only', async () => {
    const server = await governor({ leaves: [voter.leaf], modes: ['signed'] });
    const refused = await vote(server.url);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('accepts signed votes, not private ones');
    expect(posted(server.requests)).toEqual([]);
  });

  it("a tier above the leaf's weight, or a choice that is none, naming the flag", async () => {
    const server = await governor({ leaves: [voter.leaf] });
    const tier = await vote(server.url, '--tier', String(WEIGHT + 1n));
    expect(tier.code).toBe(1);
    expect(tier.err).toContain(`--tier must be at most your leaf's weight ${WEIGHT}`);

    const choice = await governance(
      'vote',
      '--voter',
      voter.file,
      '--proposal',
      'p',
      '--choice',
      'yes',
    );
    expect(choice.code).toBe(EX_USAGE);
    expect(choice.err).toContain('--choice must be one of');
    expect(posted(server.requests)).toEqual([]);
  });

  it('a voided proposal: its reason, exit 1, nothing proved or posted', async () => {
    const server = await governor({
      leaves: [voter.leaf],
      voidedReason: 'snapshot of the old form',
    });
    const refused = await vote(server.url);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('was voided and takes no votes: snapshot of the old form');
    expect(posted(server.requests)).toEqual([]);
  });

  it('an unknown proposal: the governor answer, exit 1', async () => {
    const server = await governor({ leaves: [voter.leaf] });
    const refused = await governance(
      'vote',
      '--voter',
      voter.file,
      '--proposal',
      'no-such-proposal',
      '--choice',
      'for',
      '--url',
      server.url,
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      'read the proposal: the governor answered 404 (not_found: /v1/governance/proposals/no-such-proposal)',
    );
  });
});

/** `vote --signed` for ACCOUNT on the proposal, with `extra` flags. */
const signedVote = (url: string, voterFile: string, choice: string, ...extra: string[]) =>
  governance(
    'vote',
    '--signed',
    '--account',
    ACCOUNT,
    '--voter',
    voterFile,
    '--proposal',
    PROPOSAL_ID,
    '--choice',
    choice,
    '--url',
    url,
    ...extra,
  );

describe('a signed vote', () => {
  it("proves the leaf's nullifier when the voter has a leaf and the proposal takes private votes, never sending the secret", async () => {
    const voter = await registeredVoter('signed');
    const inSnapshot = await governor({ leaves: [...others, voter.leaf] });
    const signed = await signedVote(inSnapshot.url, voter.file, 'abstain');
    expect(signed.code, signed.err).toBe(0);
    const body = JSON.parse(inSnapshot.requests.at(-1)?.body ?? '');
    expect(body).toMatchObject({ mode: 'signed', account_id: ACCOUNT, choice: 'abstain' });
    expect(body.ownership.nullifier).toBe(voteNullifier(voter.secret, PROPOSAL_FIELD).toString());
    // The governor's check, for real: the proof shows the nullifier is this identity's.
    const verdict = await verifyOwnership(
      readVerificationKey(ownershipArtifacts.verificationKey),
      { identity: voter.commitment, proposalId: PROPOSAL_FIELD },
      body.ownership,
    );
    expect(verdict.ok).toBe(true);
    for (const request of inSnapshot.requests) {
      expect(JSON.stringify(request)).not.toContain(voter.secret.toString());
    }

    const notInSnapshot = await governor({ leaves: others });
    const plain = await signedVote(notInSnapshot.url, voter.file, 'against');
    expect(plain.code, plain.err).toBe(0);
    expect(JSON.parse(notInSnapshot.requests.at(-1)?.body ?? '')).toEqual({
      mode: 'signed',
      account_id: ACCOUNT,
      choice: 'against',
    });

    // In the snapshot, but the proposal takes signed votes only: no private vote to guard against.
    const signedOnly = await governor({ leaves: [...others, voter.leaf], modes: ['signed'] });
    const bare = await signedVote(signedOnly.url, voter.file, 'for');
    expect(bare.code, bare.err).toBe(0);
    expect(JSON.parse(signedOnly.requests.at(-1)?.body ?? '')).not.toHaveProperty('ownership');
  });

  it('refuses a voter file registered for another account than --account, sending nothing', async () => {
    const voter = await registeredVoter('elsewhere');
    const server = await governor({ leaves: [...others, voter.leaf] });
    const elsewhere = await governance(
      'vote',
      '--signed',
      '--account',
      'acct-someone-else',
      '--voter',
      voter.file,
      '--proposal',
      PROPOSAL_ID,
      '--choice',
      'for',
      '--url',
      server.url,
    );
    expect(elsewhere.code).toBe(EX_USAGE);
    expect(elsewhere.err).toContain('is not the account this voter file was registered for');
    expect(server.requests).toEqual([]);
  });
});
