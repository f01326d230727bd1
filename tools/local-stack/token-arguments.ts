import { parseArgs } from 'node:util';
import { isRole, ROLE_NAMES, scopesOfRole } from '../../services/aia-api/identity/roles.js';
import { UsageError } from './usage-error.js';

export const TOKEN_USAGE = `usage: npm run token -- [--sub NAME] [--role ROLE] [--scope "SCOPE ..."] [--ttl LIFETIME]

Prints a development bearer token (ES256) signed with the issuer key npm start generated
(.data/secrets.json, or $AIA_DATA_DIR/secrets.json), or with JWT_SIGNING_KEY when it is set.
Every local stack of this checkout accepts it.

  --sub NAME        the token's subject (default: developer)
  --role ROLE       the scopes of a role: ${ROLE_NAMES.join(', ')}
  --scope "A B"     space-separated scopes (default: none; with --role, added to its scopes)
  --ttl LIFETIME    seconds (3600), or a number and a unit: 30s, 15m, 1h, 7d (default: 1h)
  -h, --help        this text

Example: TOKEN=$(npm run -s token -- --sub user:ada --role viewer)`;

export interface TokenArguments {
  readonly help: boolean;
  readonly subject: string;
  readonly scope: string;
  /** Seconds (a number) or a jose time span such as `1h`. */
  readonly expiresIn: number | string;
}

const SPAN = /^[1-9]\d*(s|m|h|d)$/;
const SECONDS = /^[1-9]\d*$/;

/**
 * Parses `npm run token`'s arguments strictly: an unknown option, a positional argument, a
 * missing value or a lifetime jose would not accept throws a {@link UsageError} naming it.
 */
export function parseTokenArguments(args: readonly string[]): TokenArguments {
  let values: { sub?: string; role?: string; scope?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string', default: 'developer' },
        role: { type: 'string' },
        scope: { type: 'string', default: '' },
        ttl: { type: 'string', default: '1h' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    // node:util's messages name the option; its stack trace helps nobody here.
    throw new UsageError((error as Error).message);
  }
  const { sub = 'developer', role, ttl = '1h', help = false } = values;
  if (sub.trim() === '') throw new UsageError("Option '--sub' must not be empty");
  if (role !== undefined && !isRole(role))
    throw new UsageError(`Option '--role' expects one of ${ROLE_NAMES.join(', ')}, got '${role}'`);
  const scope = [
    ...new Set([...(role ? scopesOfRole(role) : []), ...(values.scope ?? '').split(' ')]),
  ]
    .filter(Boolean)
    .join(' ');
  if (SECONDS.test(ttl)) return { help, subject: sub, scope, expiresIn: Number(ttl) };
  if (!SPAN.test(ttl)) {
    throw new UsageError(
      `Option '--ttl' expects seconds (3600) or a number and a unit (30s, 15m, 1h, 7d), got '${ttl}'`,
    );
  }
  return { help, subject: sub, scope, expiresIn: ttl };
}
