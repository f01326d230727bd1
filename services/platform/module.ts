import type { WebSocketServerLike } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { DataStore, ServiceDefinition } from '../catalog/types.js';
import type { ServiceClients } from '../clients.js';
import type { UnauthenticatedApiPrefix } from './app.js';
import type { JwtVerifier } from './auth.js';
import type { Database } from './db.js';
import type { EventBus } from './events/event-bus.js';
import type { Llm } from './llm/types.js';
import type { ObjectStorage } from './object-storage.js';
import {
  type ApiDescription,
  type ApiDocumentReplacement,
  createOpenApiApp,
  serveOpenApiDocument,
} from './openapi.js';
import { createReadPool, type ReadPool } from './read-replica.js';
import type { AppEnv } from './types.js';
import type { WorkerSpec } from './workers.js';

type Declares<D extends ServiceDefinition, S extends DataStore> = S extends D['dataStores'][number]
  ? true
  : false;

/**
 * The data store clients a service's definition declares, typed by its `dataStores`: PostgreSQL
 * is always there when declared (its env schema requires a connection); Redis, Neo4j and object
 * storage only when configured (a local run may go without).
 */
export type StoresOf<D extends ServiceDefinition> = {
  readonly db: Declares<D, 'postgres'> extends true ? Database : undefined;
  /**
   * Reads that tolerate a bounded lag (history listings, leaderboards): on the read replica while
   * it keeps within DATABASE_READ_MAX_LAG_SECONDS, else on `db` (docs/connections.md).
   */
  readonly reads: Declares<D, 'postgres'> extends true ? ReadPool : undefined;
  readonly redis: Declares<D, 'redis'> extends true ? Redis | undefined : undefined;
  readonly graph: Declares<D, 'neo4j'> extends true ? Driver | undefined : undefined;
  /** The service's bucket over the S3 API (`S3_ENDPOINT`, `S3_BUCKET`). */
  readonly objectStorage: Declares<D, 'objectStorage'> extends true
    ? ObjectStorage | undefined
    : undefined;
};

/** The typed clients of the services `D` calls, and no other. */
export type ClientsOf<D extends ServiceDefinition> = Pick<
  ServiceClients,
  Extract<keyof D['calls'], keyof ServiceClients>
>;

/** The LLM layer, for a service whose env takes the LLM variables (`llmEnv`). */
export type LlmOf<D extends ServiceDefinition> = string extends keyof D['env']['shape']
  ? Llm | undefined
  : 'LLM_CLASSES' extends keyof D['env']['shape']
    ? Llm
    : undefined;

/** The service's configuration, as its env schema parsed it. */
export type ConfigOf<D extends ServiceDefinition> = z.output<D['env']>;

/** What a module is built from, once per service start. */
export interface ModuleContext<D extends ServiceDefinition = ServiceDefinition> {
  readonly definition: D;
  readonly config: ConfigOf<D>;
  readonly logger: Logger;
  /** The service's metrics registry, for domain metrics beyond the catalog's declared counters. */
  readonly registry: Registry;
  readonly stores: StoresOf<D>;
  /** Verifies bearer tokens with the service's JWT settings; `/v1` is already behind it. */
  readonly verify: JwtVerifier;
  /**
   * The event bus (Kafka in the stacks, Redis Streams locally): `subscribe` to consume; write
   * events with `writeEvent` in the transaction of the state they describe (the kit relays the
   * outbox). Absent locally without REDIS_URL: events then wait in the outbox. A subscription
   * made in `build` receives events before `start` ran: subscribe in `start` when handlers need
   * what `start` seeds.
   */
  readonly events: EventBus | undefined;
  /** Typed clients of the services the definition's `calls` name, with this service's identity. */
  readonly clients: ClientsOf<D>;
  /** Model calls by class with fallback, budgets and cost (docs/llm.md). */
  readonly llm: LlmOf<D>;
  /** A new validated router: register routes on it and return it as `routes`. */
  readonly router: () => OpenAPIHono<AppEnv>;
}

/** What a module gives the kit. */
export interface ModuleParts {
  /** Domain routes, mounted under `/v1`; their OpenAPI document is served at `/v1/openapi.json`. */
  readonly routes?: OpenAPIHono<AppEnv>;
  /**
   * Routes served without a bearer token, mounted at `/` (their paths are absolute, outside
   * `/v1`, or under it with an `unauthenticatedApiPrefixes` entry): public discovery documents
   * such as A2A agent cards, a public page. They get what every request
   * gets (request id, logs, metrics, secure headers) and the API's timeout, per-client rate limit
   * and body limit; not the API's authentication, nor its OpenAPI document.
   *
   * @example
   * const publicRoutes = new Hono<AppEnv>().get('/a2a/agents', (c) => c.json(cards));
   * return { routes, publicRoutes };
   */
  readonly publicRoutes?: Hono<AppEnv>;
  /**
   * `/v1` path prefixes (`/v1/a2a`) the kit does not authenticate: routes that leave it to what
   * they call (the gateway's routes to upstreams that verify tokens themselves), or, given with
   * `methods`, public pages served under the API for those methods only (the DKG's graph page:
   * `{ prefix: '/v1/explore', methods: ['GET', 'HEAD'] }`, served by `publicRoutes`). They keep
   * the API's timeout, rate limit (keyed by client address) and body limit.
   */
  readonly unauthenticatedApiPrefixes?: readonly UnauthenticatedApiPrefix[];
  /**
   * Runs first on every `/v1` request, before the kit's timeout, authentication, rate limit and
   * body limit, so what it answers needs no token and its headers reach every answer, the kit's
   * 401 and 429 included: the gateway's CORS (preflights), cross-site and size checks.
   */
  readonly apiFront?: MiddlewareHandler<AppEnv>;
  /**
   * Serves another document than the module's own at `/v1/openapi.json`: the gateway's merged
   * document of every service.
   */
  readonly apiDocument?: ApiDocumentReplacement;
  /**
   * The bearer check of `/v1` in place of the context's `verify`: the gateway's, which takes its
   * API keys as well as JWTs. Default `verify`.
   */
  readonly verify?: JwtVerifier;
  /**
   * A WebSocket server (`ws`, `noServer: true`) for routes that upgrade with `upgradeWebSocket`
   * from `@hono/node-server`, and what closes its clients when the service drains: an open
   * WebSocket would otherwise hold the server's close until the shutdown deadline.
   */
  readonly websocket?: { readonly server: WebSocketServerLike; close(): Promise<void> };
  /** Runs before the server listens (seed data); a failure stops the start. */
  readonly start?: () => Promise<void>;
  /** Background work, started after `start` and stopped on shutdown before the clients close. */
  readonly workers?: readonly WorkerSpec[];
  /**
   * Runs on shutdown after the workers stopped and before the event bus and data stores close:
   * ends what `start` started that the kit does not own (a job queue's workers and its pool).
   * Not called when the start failed.
   */
  readonly stop?: () => Promise<void>;
}

/** A service's domain, as the runtime starts it. */
export interface ServiceModule {
  readonly name: string;
  readonly api: ApiDescription;
  build(context: ModuleContext): ModuleParts | Promise<ModuleParts>;
}

/**
 * Defines a service's domain from its catalog entry: `build` receives typed configuration and
 * stores and returns its routes, start-up work and workers. Everything routes and workers share
 * (metrics, queues) is made once in `build`.
 */
export function defineModule<D extends ServiceDefinition>(
  definition: D,
  api: ApiDescription,
  build: (context: ModuleContext<D>) => ModuleParts | Promise<ModuleParts>,
): ServiceModule {
  return {
    name: definition.name,
    api,
    // The runtime builds the context from this very definition, so its config and stores are
    // what the definition's env schema and data stores say.
    build: (context) => build(context as unknown as ModuleContext<D>),
  };
}

/** The module of a service with no domain routes yet: the kit's endpoints and an API document. */
export const emptyModule = (definition: ServiceDefinition): ServiceModule =>
  defineModule(
    definition,
    { title: definition.description, description: definition.description },
    () => ({}),
  );

/**
 * The stores of a started service: the PostgreSQL its definition declares is there, or the start
 * fails here rather than at the first query.
 */
export function storesOf(
  definition: ServiceDefinition,
  {
    db,
    reads,
    redis,
    graph,
    objectStorage,
  }: {
    db?: Database;
    reads?: ReadPool;
    redis?: Redis;
    graph?: Driver;
    objectStorage?: ObjectStorage;
  },
): StoresOf<ServiceDefinition> {
  if (definition.dataStores.includes('postgres') && !db)
    throw new Error(`${definition.name} declares PostgreSQL, but no database was connected`);
  // Only what the definition declares, as StoresOf types it.
  const declares = (store: DataStore) => definition.dataStores.includes(store);
  return {
    db: db as Database,
    // Without a replica pool given (tests building a module on one database), reads use `db`.
    reads: (db ? (reads ?? createReadPool({ primary: db })) : undefined) as ReadPool,
    redis: declares('redis') ? redis : undefined,
    graph: declares('neo4j') ? graph : undefined,
    objectStorage: declares('objectStorage') ? objectStorage : undefined,
  };
}

/** The `/v1` router of a built module, with its OpenAPI document. */
export function apiRouterOf(module: ServiceModule, parts: ModuleParts): OpenAPIHono<AppEnv> {
  const routes = parts.routes ?? createOpenApiApp();
  serveOpenApiDocument(routes, module.api, parts.apiDocument);
  return routes;
}
