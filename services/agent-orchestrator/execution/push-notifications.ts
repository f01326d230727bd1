import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Database } from '../../platform/db.js';
import type { AppEnv } from '../../platform/types.js';
import type { PeriodicWorker } from '../../platform/workers.js';
import { pushJwksRoute } from '../routes/push-jwks-route.js';
import type { PushSettings } from './push-config-methods.js';
import { pushDeliveryWorker } from './push-delivery.js';
import { createPushMetrics } from './push-metrics.js';
import { pushSigner } from './push-signature.js';

/** What the module mounts for push notifications. */
export interface PushNotifications {
  /** For each agent's A2A handler: the config methods and SendMessage's config. */
  readonly settings: PushSettings;
  /** The public JWKS that verifies notifications (`/a2a/.well-known/jwks.json`). */
  readonly jwksRoute: Hono<AppEnv>;
  /** Sends them, on every replica. */
  readonly worker: PeriodicWorker;
}

/**
 * Push notifications signed with `signingKey` (the service's SERVICE_SIGNING_KEY), or undefined
 * without one (development without `npm start`'s keys): agents then answer -32003 to configs.
 * `agent_push_deliveries_total` is registered either way.
 */
export function pushNotifications({
  sql,
  signingKey,
  allowPrivate,
  logger,
  registry,
}: {
  sql: Database;
  signingKey: string | undefined;
  /** PUSH_ALLOW_PRIVATE_ADDRESSES. */
  allowPrivate: boolean;
  logger: Logger;
  registry: Registry;
}): PushNotifications | undefined {
  const { attempted } = createPushMetrics(registry);
  if (signingKey === undefined) return undefined;
  const signer = pushSigner(signingKey);
  const policy = { allowPrivate };
  return {
    settings: { policy },
    jwksRoute: pushJwksRoute(signer),
    worker: pushDeliveryWorker({
      sql,
      signer,
      policy,
      logger: logger.child({ component: 'agent-push' }),
      attempted,
    }),
  };
}
