import { type ModuleServer, startModuleServer } from './module-server.js';

/** A running economic governor: its base URL, and `stop`. */
export type GovernorServer = ModuleServer;

/**
 * The economic governor on the kit over HTTP on a free loopback port, with a real database
 * (migrated, genesis done) and the verifier every deployed service has (see
 * {@link startModuleServer}).
 */
export const startGovernorServer = (databaseUrl: string): Promise<GovernorServer> =>
  startModuleServer('economic-governor', databaseUrl, { TREASURY_PRIVATE_KEY: 't'.repeat(32) });
