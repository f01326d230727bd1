import { catalog, serviceNames } from '../services/catalog.js';
import { imageReference, loadStackConfig } from './config.js';

const config = loadStackConfig();

/**
 * What each service will run with on this stack, straight from the catalog. Components that
 * provision the cluster and deploy these services build on this program.
 */
export const services = Object.fromEntries(
  serviceNames.map((name) => {
    const service = catalog[name];
    return [
      name,
      {
        image: imageReference(config),
        port: service.port,
        resources: service.resources[config.stack],
        scaling: service.scaling[config.stack],
      },
    ];
  }),
);

export const stack = config.stack;
export const region = config.region;
