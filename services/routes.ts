import type { Hono } from 'hono';
import { aiaApiRoutes } from './aia-api/routes.js';
import type { ServiceName } from './catalog.js';
import type { ServiceDeps } from './platform/runtime.js';
import type { AppEnv } from './platform/types.js';

/** Each service's domain routes, mounted under `/v1`. Services without an entry serve only the kit's endpoints. */
export const serviceRoutes: Partial<Record<ServiceName, (deps: ServiceDeps) => Hono<AppEnv>>> = {
  'aia-api': aiaApiRoutes,
};
