import { z } from 'zod';

/** `economic-governor` → `ECONOMIC_GOVERNOR`. */
type Constant<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Uppercase<Head>}_${Constant<Tail>}`
  : Uppercase<S>;

/** The variable that overrides where a service is reached: `ECONOMIC_GOVERNOR_URL`. */
export type UpstreamVariable<S extends string> = `${Constant<S>}_URL`;

/** Where a service is reached: its name and its catalog port. */
export interface UpstreamService {
  readonly name: string;
  readonly port: number;
}

/** `economic-governor` → `ECONOMIC_GOVERNOR_URL`, the variable that says where it is reached. */
export const upstreamVariable = <S extends string>(service: S): UpstreamVariable<S> =>
  `${service.toUpperCase().replaceAll('-', '_')}_URL` as UpstreamVariable<S>;

/**
 * Env fragment: an optional base URL per upstream service (`ECONOMIC_GOVERNOR_URL`). Unset, a
 * caller reaches the service on loopback at its catalog port ({@link upstreamUrl}); the stacks
 * set each to the service's in-cluster address ({@link clusterUrl}).
 *
 * @example
 * const env = serviceEnv({ ...upstreamEnv(['economic-governor']) });
 */
export const upstreamEnv = <const S extends string>(services: readonly S[]) =>
  Object.fromEntries(
    services.map((service) => [
      upstreamVariable(service),
      z
        .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
        .transform((url) => url.replace(/\/+$/, ''))
        .optional(),
    ]),
  ) as {
    [K in S as UpstreamVariable<K>]: z.ZodOptional<
      z.ZodPipe<z.ZodURL, z.ZodTransform<string, string>>
    >;
  };

/** A service on this machine: `http://127.0.0.1:<catalog port>`, as `npm start` runs it. */
export const localUrl = ({ port }: UpstreamService): string => `http://127.0.0.1:${port}`;

/** A service inside the cluster: `http://<name>.<namespace>.svc.cluster.local:<catalog port>`. */
export const clusterUrl = ({ name, port }: UpstreamService, namespace: string): string =>
  `http://${name}.${namespace}.svc.cluster.local:${port}`;

/**
 * Where a caller reaches `upstream`: the URL its configuration names (`ECONOMIC_GOVERNOR_URL`,
 * which the stacks set to {@link clusterUrl}), else {@link localUrl}.
 */
export function upstreamUrl(
  upstream: UpstreamService,
  config: Readonly<Record<string, unknown>>,
): string {
  const configured = config[upstreamVariable(upstream.name)];
  return typeof configured === 'string' && configured !== '' ? configured : localUrl(upstream);
}
