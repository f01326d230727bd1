import { defineModule } from '../platform/module.js';
import { aiaApi } from './definition.js';
import { checkIssuerKey } from './issuer-key.js';
import { addGatewayRoutes } from './routes.js';

/** The gateway: its identity routes; it refuses to start with an unpublished signing key. */
export const aiaApiModule = defineModule(
  aiaApi,
  {
    title: 'AIA API gateway',
    description: 'The platform front door: identities and tokens. Scopes are checked per route.',
  },
  ({ config, verify, router }) => {
    const routes = router();
    addGatewayRoutes(routes, verify);
    return {
      routes,
      start: () => checkIssuerKey(config.JWT_SIGNING_KEY, config.JWT_PUBLIC_KEYS),
    };
  },
);
