/** A command line (or a variable standing for one) that cannot be followed; the CLIs exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit code for a usage error: 2, as shells and most command-line tools use. */
export const EX_USAGE = 2;
