import { EX_USAGE, UsageError } from '../local-stack/usage-error.js';
import type { GovernanceIo } from './command-line.js';
import { INIT_USAGE, initCommand } from './commands/init.js';
import { REGISTER_USAGE, registerCommand } from './commands/register.js';
import { VOTE_USAGE, voteCommand } from './commands/vote.js';
import { GovernanceHttpError } from './governance-client.js';

const COMMANDS: Record<
  string,
  { run: (argv: string[], io: GovernanceIo) => Promise<number>; usage: string }
> = {
  init: { run: initCommand, usage: INIT_USAGE },
  register: { run: registerCommand, usage: REGISTER_USAGE },
  vote: { run: voteCommand, usage: VOTE_USAGE },
};

const USAGE = `usage: npm run governance -- <command> [options]   (docs/governance.md)

${Object.values(COMMANDS)
  .map((command) => command.usage)
  .join('\n\n')}

Exit codes: 0 done; 1 the governor refused or could not be reached, or its snapshot did not
check out; 2 a command line (or voter file) that cannot be followed.`;

/**
 * The voter's side of governance: `init`, `register`, `vote`. Returns the exit code; prints
 * results on `io.out`, problems on `io.err`. The secret is written to the voter file by `init`
 * and is never printed.
 */
export async function runGovernance(argv: readonly string[], io: GovernanceIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? EX_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command '${name}' (init, register, vote)\n\n${USAGE}`);
    return EX_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(`governance ${name}: ${(error as Error).message}`);
    if (error instanceof UsageError) {
      io.err(`\n${command.usage}`);
      return EX_USAGE;
    }
    if (error instanceof GovernanceHttpError && error.body !== undefined) {
      io.err(JSON.stringify(error.body, null, 2));
    }
    return 1;
  }
}
