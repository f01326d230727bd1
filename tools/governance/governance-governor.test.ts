import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voteNullifier } from '../../services/economic-governor/governance/zk/nullifier.js';
import type { Call } from '../../services/economic-governor/testing/api-fixtures.js';
import {
  GOVERNANCE_ENV,
  openedProposal,
  stakedAccount,
  VOTER_SCOPES,
  voteCount,
} from '../../services/economic-governor/testing/governance-fixtures.js';
import { ledgerApp } from '../../services/economic-governor/testing/ledger-app.js';
import { useLedgerDatabase } from '../../services/economic-governor/testing/ledger-database.js';
import { runGovernance } from './run-governance.js';
import type { VoterFile } from './voter-file.js';

const db = useLedgerDatabase('governance_cli');
const directory = mkdtempSync(join(tmpdir(), 'governance-governor-'));
const VOTER = 'user:ada';
let server: Server;
let url: string;
let call: Call;
let token: string;

beforeAll(async () => {
  const governor = ledgerApp(db.sql, { stakingLockSeconds: 0, env: GOVERNANCE_ENV });
  call = governor.call;
  token = await governor.tokenFor(VOTER, VOTER_SCOPES);
  server = serve({ fetch: governor.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  await new Promise((listening) => server.once('listening', listening));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((closed) => server.close(closed));
  rmSync(directory, { recursive: true, force: true });
  // snarkjs keeps the curve's worker threads alive after proving until told otherwise.
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

async function governance(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runGovernance([...argv, '--url', url], {
    env: { AIA_TOKEN: token },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the voter CLI against the economic governor', () => {
  it('registers, votes privately once, and a second vote either way is refused', async () => {
    const account = await stakedAccount(db.sql, call, { owner: VOTER, staked: '1234' });
    const file = join(directory, 'ada.json');
    expect((await governance('init', '--out', file)).code).toBe(0);
    const registered = await governance('register', '--voter', file, '--account', account);
    expect(registered.code, registered.err).toBe(0);
    const proposal = await openedProposal(call, VOTER, account);
    expect(proposal.size).toBe(1);

    const vote = ['vote', '--voter', file, '--proposal', proposal.id, '--choice', 'for'];
    // The leaf weighs the 1,234 AIA_GOV staked at the opening: no more can be counted.
    const above = await governance(...vote, '--tier', '1235');
    expect(above.code).toBe(1);
    expect(above.err).toContain("--tier must be at most your leaf's weight 1234, got 1235");
    // By default the tier is the weight rounded down to two significant digits.
    const counted = await governance(...vote);
    expect(counted.code, counted.err).toBe(0);
    const { secret } = JSON.parse(readFileSync(file, 'utf8')) as VoterFile;
    const nullifier = voteNullifier(BigInt(secret), BigInt(proposal.proposal_field)).toString();
    expect(counted.out).toContain(`nullifier ${nullifier}`);
    expect(counted.out).toContain('"weight": "1200"');
    expect(counted.err).toContain('counting tier 1200, which 1 of the 1 leaves could have cast');
    expect(counted.err).toContain('warning: only 1 leaves weigh at least 1200');
    expect(await voteCount(db.sql, proposal.id)).toBe(1);

    const again = await governance(...vote);
    expect(again.code).toBe(1);
    expect(again.err).toContain('send the vote: the governor answered 409 (vote_already_cast');
    const signed = await governance(
      'vote',
      '--signed',
      '--account',
      account,
      '--voter',
      file,
      '--proposal',
      proposal.id,
      '--choice',
      'against',
    );
    expect(signed.code).toBe(1);
    expect(signed.err).toContain('409 (vote_already_cast');
    expect(await voteCount(db.sql, proposal.id)).toBe(1);
  }, 60_000);
});
