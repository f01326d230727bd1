import neo4j, { type Driver } from 'neo4j-driver';

export interface GraphDriverOptions {
  readonly uri: string;
  readonly user: string;
  readonly password: string;
}

/** neo4j-driver with plain JavaScript numbers instead of `Integer` objects. */
export function createGraphDriver({ uri, user, password }: GraphDriverOptions): Driver {
  return neo4j.driver(uri, neo4j.auth.basic(user, password), {
    disableLosslessIntegers: true,
    connectionAcquisitionTimeout: 5_000,
  });
}

/** Readiness: the driver can reach a server and authenticate. */
export const graphReadiness = (driver: Driver) => async () => {
  await driver.verifyConnectivity();
};
