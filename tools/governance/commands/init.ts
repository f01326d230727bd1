import { resolve } from 'node:path';
import { newVoterSecret } from '../../../services/economic-governor/governance/zk/commitment.js';
import { type GovernanceIo, parseCommand, required } from '../command-line.js';
import { createVoterFile } from '../voter-file.js';

export const INIT_USAGE = `governance init --out <file>

Makes a new voter secret and writes it to <file> (JSON, mode 0600). Never replaces a file.
The secret stays on this machine: back the file up; whoever holds it can vote as you.`;

/** `governance init`: a new secret in a new voter file. */
export async function initCommand(argv: string[], io: GovernanceIo): Promise<number> {
  const values = parseCommand(argv, { out: { type: 'string' } });
  const out = resolve(required(values.out, 'out'));
  createVoterFile(out, newVoterSecret());
  io.out(`wrote a new voter secret to ${out} (mode 0600)`);
  io.out('next: stake AIA_GOV, then npm run governance -- register --voter <file> --account <id>');
  return 0;
}
