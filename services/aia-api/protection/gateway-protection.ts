import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Database } from '../../platform/db.js';
import type { AppEnv } from '../../platform/types.js';
import type { WorkerSpec } from '../../platform/workers.js';
import type { RequestClass } from '../routing/route-classes.js';
import { auditCalls } from './audit/audit-calls.js';
import { type AuditRecorder, createAuditRecorder } from './audit/audit-recorder.js';
import { classRateLimit } from './class-rate-limit.js';
import { gatewayCors } from './cors.js';
import { crossSiteForms } from './cross-site-forms.js';
import { noCookieSessions } from './no-cookie-sessions.js';
import { limitRequestHead } from './request-limits.js';

export interface GatewayProtectionOptions {
  /** `CORS_ALLOWED_ORIGINS`. */
  readonly allowedOrigins: readonly string[];
  /** The kit's rate limiter settings, for the per-class budgets. */
  readonly rateLimit: {
    readonly redis: Redis | undefined;
    readonly windowMs: number;
    readonly failMode: 'open' | 'closed';
    readonly trustedProxyHops: number;
    /** Per caller and window, per class (`GATEWAY_RATE_LIMIT_*_MAX`). */
    readonly classLimits: Partial<Readonly<Record<RequestClass, number>>>;
  };
  /** The gateway's database, where the audit chain is kept. */
  readonly sql: Database;
  readonly logger: Logger;
  readonly registry: Registry;
}

/** The gateway's protection, as the module hands it to the kit. */
export interface GatewayProtection {
  /** For `ModuleParts.apiFront`: CORS, no cookies, request-head limits, cross-site forms. */
  readonly front: MiddlewareHandler<AppEnv>;
  /**
   * For the module's `/v1` router, registered before every route: per-class rate limits, then the
   * audit of state-changing calls. Runs after the kit's authentication, so the caller is known.
   */
  readonly api: MiddlewareHandler<AppEnv>;
  /** The audit retry worker. */
  readonly workers: readonly WorkerSpec[];
  readonly audit: AuditRecorder;
}

/**
 * Everything the gateway does to protect the API and record what changed it (docs/gateway.md,
 * "Protection and audit"). In front of the kit's authentication: CORS (a preflight is answered
 * there), the cookie guarantee, URL and header limits per route class (414, 431), the cross-site
 * form check (403). Behind it: rate limits per caller and route class (429), the audit chain.
 *
 * @example
 * const protection = gatewayProtection({ allowedOrigins: config.CORS_ALLOWED_ORIGINS, ... });
 * routes.use('*', protection.api);
 * return { routes, apiFront: protection.front, workers: protection.workers };
 */
export function gatewayProtection({
  allowedOrigins,
  rateLimit: { classLimits, ...rateLimit },
  sql,
  logger,
  registry,
}: GatewayProtectionOptions): GatewayProtection {
  const audit = createAuditRecorder({ sql, logger, registry });
  return {
    front: every(
      gatewayCors({ allowedOrigins }),
      noCookieSessions(),
      limitRequestHead(),
      crossSiteForms({ allowedOrigins }),
    ),
    api: every(classRateLimit({ ...rateLimit, limits: classLimits }), auditCalls(audit)),
    workers: [audit.worker],
    audit,
  };
}
