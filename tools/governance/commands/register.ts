import { resolve } from 'node:path';
import { voterIdentity } from '../../../services/economic-governor/governance/zk/commitment.js';
import {
  CONNECTION_USAGE,
  connectionOf,
  type GovernanceIo,
  parseCommand,
  required,
} from '../command-line.js';
import { governanceClient } from '../governance-client.js';
import { readVoterFile, updateVoterFile } from '../voter-file.js';

export const REGISTER_USAGE = `governance register --voter <file> --account <id> [--url] [--token]

Computes the voter's identity Poseidon(secret) here and registers it for the account
(PUT /v1/governance/voters/{account}); the secret is not sent. The identity carries no weight:
each proposal's snapshot gives the account a leaf weighing the AIA_GOV it has staked when the
proposal opens, and a vote counts at most that.
${CONNECTION_USAGE}`;

/** `governance register`: the voter's identity for an account, computed locally. */
export async function registerCommand(argv: string[], io: GovernanceIo): Promise<number> {
  const values = parseCommand(argv, {
    voter: { type: 'string' },
    account: { type: 'string' },
  });
  const file = resolve(required(values.voter, 'voter'));
  const account = required(values.account, 'account');
  const connection = connectionOf(values, io.env);
  const voter = readVoterFile(file, io.err);
  const commitment = voterIdentity(BigInt(voter.secret)).toString();
  const answer = await governanceClient(connection).registerVoter(account, { commitment });
  const { weight: _formerWeight, ...kept } = voter;
  updateVoterFile(file, { ...kept, account_id: account, commitment });
  io.out(`registered identity ${commitment} for ${account}`);
  io.out(JSON.stringify(answer, null, 2));
  return 0;
}
