import createClient from 'openapi-fetch';
import {
  type CallOptions,
  type ServiceTransport,
  unwrap,
} from '../platform/service-client/index.js';
import type { components, paths } from './openapi.gen.js';

type Schemas = components['schemas'];
export type RankedAgents = Schemas['RankedAgents'];
export type EntryVersion = Schemas['EntryVersion'];
export type Entry = Schemas['Entry'];
export type RelationInput = Schemas['RelationInput'];
export type RegistryName = NonNullable<
  NonNullable<paths['/search']['get']['parameters']['query']>['registry']
>;

/** A node as the graph queries show it. */
export type GraphNodeView = {
  readonly id: string;
  readonly label: string;
  readonly name: string | null;
  readonly description: string | null;
};
/** An edge as the graph queries show it. */
export type GraphEdgeView = {
  readonly type: string;
  readonly from_id: string;
  readonly to_id: string;
  readonly level: number | null;
};

const SERVICE = 'dkg-manager';

/**
 * The DKG manager's read API for other services (scope `dkg:read`), typed from the OpenAPI
 * document it serves (`openapi.gen.ts`): word search over the registries, an entry's
 * neighbourhood, and the agents for a skill ranked by evidence. Every method throws
 * `ServiceProblemError` for an error answer and `ServiceUnavailableError` when no answer comes;
 * `api` reaches any operation directly.
 *
 * @example
 * const dkg = clients['dkg-manager'];
 * const [skill] = await dkg.search('market research', { registry: 'skills', limit: 1 });
 * const ranked = skill && (await dkg.rankAgents(skill.id, { limit: 5 }));
 */
export function dkgManagerClient(transport: ServiceTransport) {
  const api = createClient<paths>({ baseUrl: transport.apiUrl });
  const via = (options?: CallOptions) => ({ fetch: transport.fetchFor(options) });
  return {
    api,
    /** One page of a registry's entries in name order; `next_cursor` reads the next (null: the last). */
    list: async (
      registry: RegistryName,
      query: { readonly limit?: number; readonly cursor?: string } = {},
      options?: CallOptions,
    ): Promise<{ entries: Entry[]; next_cursor: string | null }> =>
      unwrap(
        SERVICE,
        api.GET(`/${registry}`, {
          params: {
            query: {
              ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
              ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
            },
          },
          ...via(options),
        }),
      ),
    /** Entries (and task types) whose name or description has every word of `q`, best first. */
    search: async (
      q: string,
      query: { readonly registry?: RegistryName; readonly limit?: number } = {},
      options?: CallOptions,
    ): Promise<GraphNodeView[]> =>
      (
        await unwrap(
          SERVICE,
          api.GET('/search', {
            params: {
              query: {
                q,
                ...(query.registry === undefined ? {} : { registry: query.registry }),
                ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
              },
            },
            ...via(options),
          }),
        )
      ).results,
    /** Everything within `hops` relations of entry `id`, and the relations among it. */
    neighbourhood: async (
      id: string,
      hops: number,
      options?: CallOptions,
    ): Promise<{ nodes: GraphNodeView[]; edges: GraphEdgeView[] }> =>
      unwrap(
        SERVICE,
        api.GET('/graph/neighbourhood', {
          params: { query: { id, hops: String(hops) } },
          ...via(options),
        }),
      ),
    /** The agents with skill `skillId`, best first by the evidence of their runs. */
    rankAgents: async (
      skillId: string,
      query: { readonly limit?: number } = {},
      options?: CallOptions,
    ): Promise<RankedAgents> =>
      unwrap(
        SERVICE,
        api.GET('/rankings/agents', {
          params: {
            query: {
              skill_id: skillId,
              ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
            },
          },
          ...via(options),
        }),
      ),
    /** Every version of a registry's entry `id`, oldest first (the last is the current one). */
    versions: async (
      registry: RegistryName,
      id: string,
      options?: CallOptions,
    ): Promise<EntryVersion[]> =>
      (
        await unwrap(
          SERVICE,
          api.GET(`/${registry}/{id}/versions`, { params: { path: { id } }, ...via(options) }),
        )
      ).versions,
    /** Sets a relation (scope `dkg:write`); setting one already set changes nothing. */
    putRelation: async (input: RelationInput, options?: CallOptions): Promise<void> => {
      await unwrap(SERVICE, api.PUT('/relations', { body: input, ...via(options) }));
    },
  };
}

/** The DKG manager's typed client. */
export type DkgManagerClient = ReturnType<typeof dkgManagerClient>;
