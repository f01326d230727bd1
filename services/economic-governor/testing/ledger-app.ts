import { Writable } from 'node:stream';
import pino from 'pino';
import { type BearerCallOptions, bearerCaller } from '../../../test/harness/bearer-caller.js';
import { testPublicKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { serviceDefinition } from '../../catalog.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { economicGovernorModule } from '../module.js';

export interface LedgerAppOptions {
  /** STAKING_LOCK_SECONDS. Default 3600. */
  readonly stakingLockSeconds?: number;
  /** BODY_LIMIT_BYTES. Default 4 MiB, as the service. */
  readonly bodyBytes?: number;
  /** More of the service's environment (GOVERNANCE_ENABLED, GOVERNANCE_PROPOSAL_THRESHOLD ...). */
  readonly env?: Record<string, string>;
}

/**
 * The economic governor's app on the kit (authentication, limits, error handler, metrics) over a
 * real database, for `app.request()` tests; `call` sends JSON with a token of the given scopes.
 */
export function ledgerApp(
  sql: Database,
  { stakingLockSeconds = 3600, bodyBytes = 4_194_304, env = {} }: LedgerAppOptions = {},
) {
  const _logger = pino(
    { level: 'silent' },
    new Writable({ write: (_chunk, _encoding, done) => done() }),
  );
  const verify = createJwtVerifier({
    publicKeys: testPublicKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
  });
  const metrics = createServiceMetrics({
    service: 'economic-governor',
    declared: serviceDefinition('economic-governor').metrics,
  });
  const { routes, parts } = moduleRoutes('economic-governor', economicGovernorModule, {
    env: {
      STAKING_LOCK_SECONDS: String(stakingLockSeconds),
      TREASURY_PRIVATE_KEY: 't'.repeat(32),
      ...env,
    },
    db: sql,
    verify,
    registry: metrics.registry,
  });
  const { app } = kitApp({
    routes,
    verify,
    ...(parts.unauthenticatedApiPrefixes
      ? { unauthenticatedApiPrefixes: parts.unauthenticatedApiPrefixes }
      : {}),
    metrics,
    bodyBytes,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
  });
  const caller = bearerCaller(app, { as: 'alice', scope: 'ledger:read ledger:write' });
  const { tokenFor } = caller;
  /** Sends a request as `subject` with `scope`; a body is sent as JSON. */
  const call = async (method: string, path: string, options: BearerCallOptions = {}) => {
    const response = await caller.call(method, path, options);
    return {
      status: response.status,
      headers: response.headers,
      // biome-ignore lint/suspicious/noExplicitAny: tests assert response bodies field by field
      body: (await response.json().catch(() => ({}))) as Record<string, any>,
    };
  };
  return { app, call, registry: metrics.registry, tokenFor };
}

/** Scopes of a treasury administrator. */
export const ADMIN_SCOPES = 'ledger:read ledger:write treasury:admin rewards:distribute';
