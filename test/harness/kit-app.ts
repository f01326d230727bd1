import { Writable } from 'node:stream';
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import {
  createServiceApp,
  type ServiceAppOptions,
  type UnauthenticatedApiPrefix,
} from '../../services/platform/app.js';
import type { JwtVerifier } from '../../services/platform/auth.js';
import type { ReadinessCheck } from '../../services/platform/health.js';
import { createLogger } from '../../services/platform/logging.js';
import { createServiceMetrics, type ServiceMetrics } from '../../services/platform/metrics.js';
import type { AppEnv } from '../../services/platform/types.js';

/** Collects every JSON line a logger writes, for assertions on what was (not) logged. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
  get text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }
}

export interface KitAppOptions {
  /** The service named in `/info` and the logs. Default `test-service`. */
  readonly service?: string;
  readonly routes?: Hono<AppEnv>;
  readonly publicRoutes?: Hono<AppEnv>;
  /** Default `debug` (every line captured); `silent` for apps that serve many requests. */
  readonly logLevel?: 'debug' | 'silent';
  readonly readiness?: Record<string, ReadinessCheck>;
  readonly optionalReadiness?: readonly string[];
  readonly redis?: Redis;
  readonly rateLimit?: Partial<ServiceAppOptions['limits']['rateLimit']>;
  readonly bodyBytes?: number;
  readonly requestTimeoutMs?: number;
  readonly isDraining?: () => boolean;
  readonly verify?: JwtVerifier;
  /** `/v1` prefixes left out of `verify` (a module's `unauthenticatedApiPrefixes`). */
  readonly unauthenticatedApiPrefixes?: readonly UnauthenticatedApiPrefix[];
  /** Default: a registry with the kit's metrics only. */
  readonly metrics?: ServiceMetrics;
  /** Runs first on `/v1/*` (a module's `apiFront`). */
  readonly apiFront?: ServiceAppOptions['apiFront'];
}

/** A service app on the kit, with logs captured, for `app.request()` tests. */
export function kitApp(options: KitAppOptions = {}) {
  const logs = new LogCapture();
  const service = options.service ?? 'test-service';
  const logger = createLogger({
    service,
    level: options.logLevel ?? 'debug',
    redactKeys: ['DATABASE_URL', 'JWT_SIGNING_KEY'],
    destination: logs,
  });
  const app = createServiceApp({
    info: {
      name: service,
      version: '1.2.3',
      revision: 'abc123',
      environment: 'test',
      featureFlags: { GOVERNANCE_ENABLED: true },
    },
    logger,
    metrics: options.metrics ?? createServiceMetrics({ service: 'test-service' }),
    readiness: options.readiness ?? {},
    optionalReadiness: options.optionalReadiness,
    readinessTimeoutMs: 200,
    isDraining: options.isDraining,
    limits: {
      bodyBytes: options.bodyBytes ?? 1024,
      requestTimeoutMs: options.requestTimeoutMs ?? 1_000,
      rateLimit: {
        redis: options.redis,
        limit: 1_000,
        windowMs: 60_000,
        failMode: 'open',
        ...options.rateLimit,
      },
    },
    verify: options.verify,
    ...(options.unauthenticatedApiPrefixes
      ? { unauthenticatedApiPrefixes: options.unauthenticatedApiPrefixes }
      : {}),
    ...(options.apiFront ? { apiFront: options.apiFront } : {}),
    routes: options.routes,
    ...(options.publicRoutes ? { publicRoutes: options.publicRoutes } : {}),
  });
  return { app, logs, logger };
}

/** A response's JSON body, typed loosely for assertions. */
export const jsonOf = (res: Response | undefined) =>
  (res?.json() ?? Promise.resolve({})) as Promise<Record<string, unknown>>;
