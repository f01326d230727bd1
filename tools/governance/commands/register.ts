import { resolve } from 'node:path';
import { voterCommitment } from '../../../services/economic-governor/governance/zk/commitment.js';
import {
  CONNECTION_USAGE,
  connectionOf,
  type GovernanceIo,
  parseCommand,
  required,
  wholeAiaGov,
} from '../command-line.js';
import { governanceClient } from '../governance-client.js';
import { readVoterFile, updateVoterFile } from '../voter-file.js';

export const REGISTER_USAGE = `governance register --voter <file> --account <id> --weight <whole AIA_GOV> [--url] [--token]

Computes the commitment Poseidon(secret, weight) here and registers it for the account
(PUT /v1/governance/voters/{account}); the secret is not sent. The weight, at most the account's
staked AIA_GOV, is what a vote may count; it is saved in the voter file for voting.
${CONNECTION_USAGE}`;

/** `governance register`: the commitment for an account, computed locally. */
export async function registerCommand(argv: string[], io: GovernanceIo): Promise<number> {
  const values = parseCommand(argv, {
    voter: { type: 'string' },
    account: { type: 'string' },
    weight: { type: 'string' },
  });
  const file = resolve(required(values.voter, 'voter'));
  const account = required(values.account, 'account');
  const weight = wholeAiaGov(required(values.weight, 'weight'), 'weight');
  const connection = connectionOf(values, io.env);
  const voter = readVoterFile(file, io.err);
  const commitment = voterCommitment(BigInt(voter.secret), weight).toString();
  const answer = await governanceClient(connection).registerVoter(account, {
    commitment,
    weight: weight.toString(),
  });
  updateVoterFile(file, { ...voter, account_id: account, weight: weight.toString(), commitment });
  io.out(`registered commitment ${commitment} for ${account} with weight ${weight}`);
  io.out(JSON.stringify(answer, null, 2));
  return 0;
}
