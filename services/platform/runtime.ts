import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { serve, type WebSocketServerLike } from '@hono/node-server';
import type { Hono } from 'hono';
import type { DestinationStream, Logger } from 'pino';
import { type ServiceName, serviceDefinition } from '../catalog.js';
import { createServiceClients } from '../clients.js';
import { createServiceApp } from './app.js';
import { createJwtVerifier } from './auth.js';
import { answerClientErrors } from './client-errors.js';
import { type EnvSource, loadConfig, secretKeysOf } from './config.js';
import { connectDependencies } from './dependencies.js';
import type { PublicKeySet } from './jwt-keys.js';
import { llmOf } from './llm/service-llm.js';
import { createLogger } from './logging.js';
import { createServiceMetrics } from './metrics.js';
import { apiRouterOf, emptyModule, type ServiceModule, storesOf } from './module.js';
import { createOpenApiApp } from './openapi.js';
import { packageVersion } from './package-info.js';
import { connectServiceEvents } from './service-events.js';
import { CLIENT_CLOSE_BUDGET_MS, closeAll, closeServerGracefully } from './shutdown.js';
import { startTracing } from './tracing.js';
import type { AppEnv } from './types.js';
import { createWorkers } from './workers.js';

export interface StartServiceOptions {
  /** Default `process.env`. `PORT` defaults to the catalog's port. */
  readonly env?: EnvSource;
  /** The service's domain (routes, start-up work, workers). Default: the kit's endpoints only. */
  readonly module?: ServiceModule;
  /** Where logs go. Default stdout. */
  readonly logDestination?: DestinationStream;
}

export interface RunningService {
  readonly name: ServiceName;
  readonly url: string;
  readonly logger: Logger;
  /** Graceful: readiness fails, in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), clients close. */
  stop(): Promise<void>;
}

/**
 * Starts one service from its catalog entry: parses its environment (throwing a ConfigError that
 * lists every problem), connects its data stores, applies its migrations, and listens.
 */
export async function startService(
  name: ServiceName,
  {
    env = process.env,
    module = emptyModule(serviceDefinition(name)),
    logDestination,
  }: StartServiceOptions = {},
): Promise<RunningService> {
  const definition = serviceDefinition(name);
  const config = loadConfig(name, definition.env, {
    ...env,
    PORT: env.PORT ?? String(definition.port),
  }) as Record<string, unknown> & BaseConfig;
  const logger = createLogger({
    service: name,
    level: config.LOG_LEVEL,
    redactKeys: secretKeysOf(definition.env),
    destination: logDestination,
  });
  if (module.name !== name) {
    throw new Error(
      `the module of ${module.name} cannot start as ${name}: its build expects that service's configuration`,
    );
  }
  const verify = createJwtVerifier({
    publicKeys: config.JWT_PUBLIC_KEYS as PublicKeySet,
    issuer: String(config.JWT_ISSUER),
    audience: String(config.JWT_AUDIENCE),
    // Service tokens are accepted from callers the catalog grants, addressed to this service.
    service: name,
  });
  const clients = createServiceClients({ service: name, config, logger });
  const metrics = createServiceMetrics({ service: name, declared: definition.metrics });
  const llm = llmOf(definition, config, logger, metrics.registry);
  const { db, reads, redis, graph, objectStorage, readiness, closers } = await connectDependencies(
    definition,
    config,
    logger,
    { registry: metrics.registry },
  );

  const tracing =
    config.TRACING_ENABLED === true
      ? startTracing({
          service: name,
          version: packageVersion(),
          environment: config.ENVIRONMENT,
          endpoint: String(config.OTEL_EXPORTER_OTLP_ENDPOINT),
          samplingRatio: Number(config.OTEL_TRACES_SAMPLER_ARG ?? 1),
        })
      : undefined;
  // Flushed after the server closed, so spans of the last requests are exported too.
  if (tracing) closers.push({ name: 'tracing', close: () => tracing.shutdown() });
  const workers = createWorkers({ logger, registry: metrics.registry });
  const events = await connectServiceEvents({
    definition,
    config,
    redis,
    db,
    logger,
    metrics,
  }).catch(async (error: unknown) => {
    await closeAll(closers, () => {});
    throw error;
  });
  // Closed after the workers, before the data stores: relay and subscriptions finish what they hold.
  if (events) closers.unshift({ name: 'events', close: () => events.close() });
  const {
    routes,
    publicRoutes,
    unauthenticatedApiPrefixes,
    apiFront,
    bearerVerify,
    stop: stopModule,
    websocket,
  } = await (async () => {
    const parts = await module.build({
      definition,
      config,
      logger,
      registry: metrics.registry,
      stores: storesOf(definition, { db, reads, redis, graph, objectStorage }),
      verify,
      events,
      clients,
      llm,
      router: createOpenApiApp,
    });
    await parts.start?.();
    for (const worker of parts.workers ?? []) workers.add(worker);
    return {
      routes: apiRouterOf(module, parts),
      publicRoutes: parts.publicRoutes,
      unauthenticatedApiPrefixes: parts.unauthenticatedApiPrefixes,
      apiFront: parts.apiFront,
      bearerVerify: parts.verify ?? verify,
      stop: parts.stop,
      websocket: parts.websocket,
    };
  })().catch(async (error: unknown) => {
    await closeAll(closers, () => {});
    throw error;
  });
  workers.start();
  // After the workers, before the events and data stores: what the module started (a job queue's
  // workers and pool) ends while the stores it writes to are still open.
  if (stopModule) closers.unshift({ name: 'module', close: stopModule });
  // Stopped first: a run in progress still needs the clients closed after it.
  closers.unshift({ name: 'workers', close: () => workers.stop() });
  let draining = false;
  const app = createServiceApp({
    info: {
      name,
      version: packageVersion(),
      revision: config.GIT_REVISION,
      environment: config.ENVIRONMENT,
      featureFlags: Object.fromEntries(
        definition.featureFlags.map((flag) => [flag, config[flag] === true]),
      ),
      ...(llm ? { llm: llm.info() } : {}),
    },
    logger,
    metrics,
    readiness: {
      ...readiness,
      ...(events ? { events: events.readiness } : {}),
      ...workers.readiness,
    },
    // Redis backs only the rate limiter here; failing open, the service serves without it. A
    // failing worker degrades the service; requests are still served.
    optionalReadiness: [
      ...(config.RATE_LIMIT_FAIL_MODE === 'open' ? ['redis'] : []),
      // Writes go to the outbox while the transport is away; the relay catches up.
      'events',
      ...Object.keys(workers.readiness),
    ],
    readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
    isDraining: () => draining,
    limits: {
      bodyBytes: config.BODY_LIMIT_BYTES,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      rateLimit: {
        redis,
        limit: config.RATE_LIMIT_MAX,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
        failMode: config.RATE_LIMIT_FAIL_MODE,
        trustedProxyHops: config.RATE_LIMIT_TRUSTED_PROXY_HOPS,
      },
    },
    verify: bearerVerify,
    ...(unauthenticatedApiPrefixes ? { unauthenticatedApiPrefixes } : {}),
    tracing: tracing?.middleware,
    ...(apiFront ? { apiFront } : {}),
    routes,
    publicRoutes,
  });

  const server = await listen(app, config.HOST, config.PORT, websocket?.server).catch(
    async (error: Error) => {
      await closeAll(closers, () => {});
      throw error;
    },
  );
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  logger.info({ url, environment: config.ENVIRONMENT }, 'service listening');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      draining = true;
      logger.info(
        { drainDelayMs: config.SHUTDOWN_DRAIN_DELAY_MS, timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
        'shutting down: readiness fails, draining requests',
      );
      await setTimeout(config.SHUTDOWN_DRAIN_DELAY_MS);
      // WebSocket clients are told to reconnect elsewhere; open, they would hold the close below.
      await websocket?.close();
      const inTime = await closeServerGracefully(server, config.SHUTDOWN_TIMEOUT_MS);
      if (!inTime) logger.warn('shutdown deadline reached: open connections were closed');
      await closeAll(
        closers,
        (dependency, error) => logger.warn({ err: error, dependency }, 'failed to close client'),
        { deadlineMs: CLIENT_CLOSE_BUDGET_MS },
      );
      logger.info('stopped');
    })();
    return stopping;
  };
  return { name, url, logger, stop };
}

/** Fields every service schema has (from `httpEnv` and `rateLimitEnv`). */
interface BaseConfig {
  ENVIRONMENT: string;
  LOG_LEVEL: string;
  HOST: string;
  PORT: number;
  GIT_REVISION: string;
  SHUTDOWN_DRAIN_DELAY_MS: number;
  SHUTDOWN_TIMEOUT_MS: number;
  REQUEST_TIMEOUT_MS: number;
  BODY_LIMIT_BYTES: number;
  READINESS_TIMEOUT_MS: number;
  RATE_LIMIT_MAX: number;
  RATE_LIMIT_WINDOW_MS: number;
  RATE_LIMIT_FAIL_MODE: 'open' | 'closed';
  RATE_LIMIT_TRUSTED_PROXY_HOPS: number;
}

function listen(
  app: Hono<AppEnv>,
  hostname: string,
  port: number,
  websocket?: WebSocketServerLike,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: app.fetch,
      hostname,
      port,
      ...(websocket ? { websocket: { server: websocket } } : {}),
    }) as Server;
    keepConnectionsLongerThanProxies(server);
    answerClientErrors(server);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new Error(`port ${port} is already in use (set PORT to another)`));
      else reject(error);
    });
  });
}

/**
 * Google's HTTP(S) load balancer keeps a connection to a backend open for up to 600 s, and the
 * services call each other over kept-alive connections: a server that closes an idle connection
 * first (Node's default is after 5 s) races the proxy's next request on it, which then fails
 * with a 502. So idle connections are kept longer than any proxy in front keeps them (Google's
 * guidance for backends). Headers must still arrive within Node's default 60 s: a slow client
 * cannot hold a connection by trickling them. Shutdown closes idle connections at once.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 620_000;

export function keepConnectionsLongerThanProxies(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
}
