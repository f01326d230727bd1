import { type ParseArgsConfig, parseArgs } from 'node:util';
import { catalog } from '../../services/catalog.js';
import { MAX_WEIGHT } from '../../services/economic-governor/governance/zk/commitment.js';
import { UsageError } from '../local-stack/usage-error.js';
import type { GovernanceConnection } from './governance-client.js';

/** What a command reads and writes besides files: the environment and two output streams. */
export interface GovernanceIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Results, one line at a time (stdout). */
  readonly out: (line: string) => void;
  /** Progress and warnings (stderr). */
  readonly err: (line: string) => void;
}

/** The local governor of `npm start`, as the catalog places it. */
export const DEFAULT_GOVERNOR_URL = `http://127.0.0.1:${catalog['economic-governor'].port}/v1`;

export const CONNECTION_USAGE = `  --url <url>         the API the governance routes are under: the governor's /v1 (default
                      ${DEFAULT_GOVERNOR_URL}, npm start's) or a gateway's /v1/ledger
  --token <token>     bearer token (default: $AIA_TOKEN; npm run token -- ... makes one)`;

type Options = NonNullable<ParseArgsConfig['options']>;

const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
} as const satisfies Options;

/**
 * Parses a command's options (plus --url and --token) strictly: an unknown option, a positional
 * argument or a missing value is a {@link UsageError} naming it.
 */
export function parseCommand<T extends Options>(argv: readonly string[], options: T) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { ...CONNECTION_OPTIONS, ...options },
    }).values;
  } catch (error) {
    // node:util's messages name the option; its stack trace helps nobody here.
    throw new UsageError((error as Error).message);
  }
}

/** The value of a required option, or a {@link UsageError} naming it. */
export function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${flag} is required`);
  }
  return value;
}

const WHOLE = /^(0|[1-9][0-9]*)$/;

/** A whole number of AIA_GOV the circuit can carry (1 to 2^64 - 1), or a usage error. */
export function wholeAiaGov(value: string, flag: string): bigint {
  const parsed = WHOLE.test(value) ? BigInt(value) : undefined;
  if (parsed === undefined || parsed < 1n || parsed > MAX_WEIGHT) {
    throw new UsageError(
      `--${flag} must be a whole number of AIA_GOV from 1 to ${MAX_WEIGHT}, got '${value}'`,
    );
  }
  return parsed;
}

/** The governor's URL and the caller's token from --url, --token and AIA_TOKEN. */
export function connectionOf(
  values: { url?: string | boolean | undefined; token?: string | boolean | undefined },
  env: GovernanceIo['env'],
): GovernanceConnection {
  const url = typeof values.url === 'string' ? values.url : DEFAULT_GOVERNOR_URL;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got '${url}'`);
  }
  const token = typeof values.token === 'string' ? values.token : env.AIA_TOKEN;
  return token ? { url, token } : { url };
}
