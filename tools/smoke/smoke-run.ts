import { serviceNames } from '../../services/catalog.js';
import { SMOKE_CALLS } from './smoke-calls.js';

/** One check of the smoke run and what came of it. */
export interface SmokeCheck {
  /** `readiness` (the gateway's `/readyz`) or the service a read went to. */
  readonly name: string;
  readonly path: string;
  readonly ok: boolean;
  readonly status?: number;
  /** Why it failed: the status and the start of the body, or the network error. */
  readonly detail?: string;
}

export interface SmokeOptions {
  /** The gateway's origin, optionally with a path prefix (`https://api.example.com`). */
  readonly url: string;
  /** A bearer token with the scopes of `SMOKE_SCOPES`. */
  readonly token: string;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const BODY_SHOWN = 300;

async function check(
  name: string,
  base: string,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SmokeCheck> {
  try {
    const response = await fetch(`${base}${path}`, {
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (response.ok) return { name, path, ok: true, status: response.status };
    return {
      name,
      path,
      ok: false,
      status: response.status,
      detail: `HTTP ${response.status}: ${body.slice(0, BODY_SHOWN)}`,
    };
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return { name, path, ok: false, detail: cause ?? (error as Error).message };
  }
}

/**
 * The smoke test of a deployed gateway: its readiness (`/readyz`: its own data stores), then one
 * real read per service through it ({@link SMOKE_CALLS}), all at once. Every check is reported,
 * failed or not, so one run names every broken service.
 */
export async function runSmoke({
  url,
  token,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: SmokeOptions): Promise<SmokeCheck[]> {
  const base = url.replace(/\/+$/, '');
  const authorization = { authorization: `Bearer ${token}` };
  return Promise.all([
    check('readiness', base, '/readyz', {}, timeoutMs),
    ...serviceNames.map((service) =>
      check(service, base, SMOKE_CALLS[service], authorization, timeoutMs),
    ),
  ]);
}

/** The checks as lines a person reads: `✓`/`✗`, name, path, and why a failure failed. */
export const smokeReport = (checks: readonly SmokeCheck[]): string =>
  `${checks
    .map(
      (c) =>
        `${c.ok ? '✓' : '✗'} ${c.name.padEnd(20)} ${c.path}${c.ok ? ` (${c.status})` : ` — ${c.detail}`}`,
    )
    .join('\n')}\n`;
