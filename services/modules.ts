import { checkIssuerKey } from './aia-api/issuer-key.js';
import { aiaApiRoutes } from './aia-api/routes.js';
import type { ServiceName } from './catalog.js';
import { economicGovernor } from './economic-governor/module.js';
import type { StartServiceOptions } from './platform/runtime.js';

/** What a service adds to the kit. */
export type ServiceModule = Pick<StartServiceOptions, 'routes' | 'start'>;

/**
 * Each service's domain routes (mounted under `/v1`) and start-up work. Services without an
 * entry serve only the kit's endpoints.
 */
export const serviceModules: Partial<Record<ServiceName, ServiceModule>> = {
  'aia-api': { routes: aiaApiRoutes, start: checkIssuerKey },
  'economic-governor': economicGovernor,
};
