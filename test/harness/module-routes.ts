import { Writable } from 'node:stream';
import type { OpenAPIHono } from '@hono/zod-openapi';
import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type ServiceName, serviceDefinition } from '../../services/catalog.js';
import { createServiceClients } from '../../services/clients.js';
import type { JwtVerifier } from '../../services/platform/auth.js';
import { loadConfig } from '../../services/platform/config.js';
import type { Database } from '../../services/platform/db.js';
import { llmOf } from '../../services/platform/llm/service-llm.js';
import {
  apiRouterOf,
  type ModuleParts,
  type ServiceModule,
  storesOf,
} from '../../services/platform/module.js';
import { createOpenApiApp } from '../../services/platform/openapi.js';
import type { AppEnv } from '../../services/platform/types.js';
import { testJwtEnv } from './jwt.js';

export interface ModuleRoutesOptions {
  /** The service's environment on top of the test JWT settings; parsed by its env schema. */
  readonly env?: Record<string, string>;
  readonly db?: Database;
  readonly verify: JwtVerifier;
  readonly registry: Registry;
  /** The module's logger. Default a silent one. */
  readonly logger?: Logger;
}

/**
 * Builds a service module as the runtime does (typed config parsed from `env`, its stores), for
 * `app.request()` tests (modules that build synchronously): its `/v1` router with the OpenAPI document, and its parts (start, workers).
 */
export function moduleRoutes(
  name: ServiceName,
  module: ServiceModule,
  { env = {}, db, verify, registry, logger: given }: ModuleRoutesOptions,
): { routes: OpenAPIHono<AppEnv>; parts: ModuleParts } {
  const definition = serviceDefinition(name);
  const config = loadConfig(name, definition.env, {
    // A URL the schema accepts; the test's own `db` is the connection.
    ...(definition.dataStores.includes('postgres') ? { DATABASE_URL: 'postgres://test/test' } : {}),
    ...testJwtEnv,
    PORT: String(definition.port),
    ...env,
  });
  const logger =
    given ?? pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
  const parts = module.build({
    definition,
    config,
    logger,
    registry,
    stores: storesOf(definition, { db }),
    verify,
    events: undefined,
    clients: createServiceClients({ service: name, config }),
    llm: llmOf(definition, config, logger, registry),
    router: createOpenApiApp,
  });
  if (parts instanceof Promise) throw new Error(`${name}'s module builds asynchronously`);
  return { routes: apiRouterOf(module, parts), parts };
}
