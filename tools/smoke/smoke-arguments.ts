import { parseArgs } from 'node:util';
import { STACKS, type StackName } from '../../services/catalog.js';

export const SMOKE_USAGE = `npm run smoke -- [load] (--url <gateway> | --stack <staging|production>) [--token <token>]

Smoke test of a deployed gateway: its /readyz, then one real read per service through it.
With "load": a short paced load through it, held to the seed's SLOs (p95 < 500 ms, errors < 2 %).
  --url <url>           the gateway (or a colour's own Service, port-forwarded)
  --stack <stack>       the gateway of a stack: https://<edge.hosts[0]> from its outputs
  --token <token>       a bearer token with the viewer role's scopes (default: $SMOKE_TOKEN)
  --timeout-ms <ms>     per request (default 10000)
  load only:
  --users <n>           paced users (default 5: 300 a minute, half a gateway's default limit)
  --interval-ms <ms>    each user's interval between requests (default 1000)
  --seconds <s>         measured time (default 60)
Exit code: 0 when every check passes, 1 naming each failure, 64 on a bad command line.`;

export interface SmokeArguments {
  readonly mode: 'smoke' | 'load';
  readonly url?: string;
  readonly stack?: StackName;
  readonly token: string;
  readonly timeoutMs: number;
  readonly users: number;
  readonly intervalMs: number;
  readonly durationMs: number;
}

/** A positive whole number, or an error naming the option. */
/**
 * Paced users by default: one request a second each, 300 a minute, half what a gateway's default
 * RATE_LIMIT_MAX lets one token send (tools/smoke/load-budget.ts).
 */
const DEFAULT_USERS = 5;

function whole(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new Error(`--${option}: expected a positive whole number, got "${value}"`);
  return parsed;
}

/** The command line of `npm run smoke`; throws a sentence naming the option at fault. */
export function parseSmokeArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SmokeArguments {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      stack: { type: 'string' },
      token: { type: 'string' },
      'timeout-ms': { type: 'string' },
      users: { type: 'string' },
      'interval-ms': { type: 'string' },
      seconds: { type: 'string' },
    },
  });
  const [mode = 'smoke', ...extra] = positionals;
  if ((mode !== 'smoke' && mode !== 'load') || extra.length > 0)
    throw new Error(`unknown command "${positionals.join(' ')}": expected nothing or "load"`);
  if (Boolean(values.url) === Boolean(values.stack))
    throw new Error('give either --url <gateway> or --stack <staging|production>');
  if (values.stack && !(STACKS as readonly string[]).includes(values.stack))
    throw new Error(`--stack: expected one of ${STACKS.join(', ')}, got "${values.stack}"`);
  if (values.url && !/^https?:\/\//.test(values.url))
    throw new Error(`--url: expected an http:// or https:// URL, got "${values.url}"`);
  const token = values.token ?? env.SMOKE_TOKEN;
  if (!token) throw new Error('--token: missing (or set SMOKE_TOKEN)');
  return {
    mode,
    ...(values.url ? { url: values.url } : {}),
    ...(values.stack ? { stack: values.stack as StackName } : {}),
    token,
    timeoutMs: whole('timeout-ms', values['timeout-ms'], 10_000),
    users: whole('users', values.users, DEFAULT_USERS),
    intervalMs: whole('interval-ms', values['interval-ms'], 1_000),
    durationMs: whole('seconds', values.seconds, 60) * 1000,
  };
}
