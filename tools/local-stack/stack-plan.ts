import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { upstreamVariable } from '../../services/catalog/upstreams.js';
import { catalog, type ServiceName, serviceNames } from '../../services/catalog.js';
import { UsageError } from './usage-error.js';

export const START_USAGE = `usage: npm start [-- --port-offset N]

Runs every service on this machine, each on loopback at its catalog port plus the offset, with a
local PostgreSQL and Redis and development keys. A second stack beside the first:
  npm start -- --port-offset 100         (or AIA_PORT_OFFSET=100 npm start)

  --port-offset N   add N to every catalog port (default 0, or AIA_PORT_OFFSET); its data
                    stores and logs live in <data dir>/port-offset-N, apart from the first stack's
  -h, --help        this text

Environment:
  <SERVICE>_PORT    one service's port, e.g. ECONOMIC_GOVERNOR_PORT=9001 (wins over the offset)
  AIA_DATA_DIR      where the data lives (default .data); the development keys stay in
                    <data dir>/secrets.json, shared by every stack, so one token works in each
  HOST              listening address of the services (default 127.0.0.1: loopback only)
  DATABASE_URL, REDIS_URL, and any variable of the environment contract (README) override the
  defaults; PORT is not used: it would give every service the same port.`;

/** Where one local stack runs: every service's port and the stack's own directory. */
export interface StackPlan {
  readonly help: boolean;
  readonly offset: number;
  readonly ports: Readonly<Record<ServiceName, number>>;
  /** Data stores and logs of this stack: the data dir itself at offset 0, else a folder in it. */
  readonly stackDir: string;
  /** Development keys, shared by the stacks of one data dir. */
  readonly secretsFile: string;
}

/** `economic-governor` → `ECONOMIC_GOVERNOR`: the prefix of its `_PORT` variable. */
export const constantOf = (service: string) => service.toUpperCase().replaceAll('-', '_');

/**
 * Reads `npm start`'s command line and environment. Throws a {@link UsageError} naming the option
 * or variable for an offset or port that is not a whole number, puts a port outside 1–65535, or
 * gives two services one port.
 */
export function planStack(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
): StackPlan {
  let values: { 'port-offset'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: { 'port-offset': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [source, raw] =
    values['port-offset'] !== undefined
      ? ["Option '--port-offset'", values['port-offset']]
      : ['AIA_PORT_OFFSET', env.AIA_PORT_OFFSET || '0'];
  const highest = Math.max(...serviceNames.map((name) => catalog[name].port));
  const offset = wholeNumber(source, raw, 0, 65535 - highest);
  const ports = Object.fromEntries(
    serviceNames.map((name) => {
      const variable = `${constantOf(name)}_PORT`;
      const own = env[variable];
      const port = own ? wholeNumber(variable, own, 1, 65535) : catalog[name].port + offset;
      return [name, port];
    }),
  ) as Record<ServiceName, number>;
  const owners = new Map<number, ServiceName>();
  for (const name of serviceNames) {
    const other = owners.get(ports[name]);
    if (other) {
      throw new UsageError(
        `${name} and ${other} would both listen on port ${ports[name]}: set ${constantOf(name)}_PORT to another`,
      );
    }
    owners.set(ports[name], name);
  }
  return {
    help: values.help ?? false,
    offset,
    ports,
    stackDir: offset === 0 ? dataDir : join(dataDir, `port-offset-${offset}`),
    secretsFile: join(dataDir, 'secrets.json'),
  };
}

function wholeNumber(source: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(`${source} expects a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/**
 * The variables that point `service` at the others of this stack: each `<OTHER>_URL` its env
 * schema reads (aia-api's routes, a caller's callees) and the environment does not set.
 */
export function upstreamUrls(
  service: ServiceName,
  ports: Readonly<Record<ServiceName, number>>,
  host: string,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const shape = catalog[service].env.shape as Record<string, unknown>;
  return Object.fromEntries(
    serviceNames
      .map((other) => [upstreamVariable(other), other] as const)
      .filter(([variable, other]) => other !== service && variable in shape && !env[variable])
      .map(([variable, other]) => [variable, `http://${host}:${ports[other]}`]),
  );
}

/**
 * The address to reach a service on from this machine: HOST itself, loopback for a wildcard
 * (`0.0.0.0`, `::`), IPv6 literals in brackets.
 */
export function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Whether HOST makes the services reachable from other machines. */
export const listensOnEveryInterface = (host: string) =>
  host === '0.0.0.0' || host === '::' || host === '[::]';
