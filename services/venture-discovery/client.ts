import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import {
  type CallOptions,
  type ServiceTransport,
  unwrap,
} from '../platform/service-client/index.js';
import type { components, paths } from './openapi.gen.js';

type Schemas = components['schemas'];
export type DiscoveryRun = Schemas['Run'];
export type OpportunitySummary = Schemas['OpportunitySummary'];
export type OpportunityPage = Schemas['OpportunityPage'];
/** What opportunities can be sorted by: the score, one of its components, or `created_at`. */
export type OpportunitySort = NonNullable<
  NonNullable<paths['/opportunities']['get']['parameters']['query']>['sort']
>;

/** Which opportunities to list: those of one run, best first by `sort`, at most `limit`. */
export interface OpportunityQuery {
  readonly run?: string;
  readonly sort?: OpportunitySort;
  readonly limit?: number;
}

const SERVICE = 'venture-discovery';

/**
 * The Venture Discovery Engine's API for other services (scopes `ventures:read`, and
 * `ventures:write` to start a run), typed from the OpenAPI document it serves
 * (`openapi.gen.ts`): start a run, follow its progress, read the opportunities it found. Every
 * method throws `ServiceProblemError` for an error answer and `ServiceUnavailableError` when no
 * answer comes. `startRun` carries an `Idempotency-Key` (a new one unless given): the service
 * answers the run a key queued before, so the call is retried safely. `api` reaches any
 * operation directly.
 *
 * @example
 * const discovery = clients['venture-discovery'];
 * const run = await discovery.startRun({ idempotencyKey: `task-${taskId}` });
 * const { items } = await discovery.opportunities({ run: run.id, sort: 'score', limit: 5 });
 */
export function ventureDiscoveryClient(transport: ServiceTransport) {
  const api = createClient<paths>({ baseUrl: transport.apiUrl });
  const via = (options?: CallOptions) => ({ fetch: transport.fetchFor(options) });
  return {
    api,
    /** Queues a run over every enabled source; the same `idempotencyKey` answers the same run. */
    startRun: async (options: CallOptions = {}): Promise<DiscoveryRun> =>
      unwrap(
        SERVICE,
        api.POST(
          '/runs',
          via({ ...options, idempotencyKey: options.idempotencyKey ?? randomUUID() }),
        ),
      ),
    /** Run `id`: its state (`queued`, `running`, `succeeded`, `failed`), progress and error. */
    run: async (id: string, options?: CallOptions): Promise<DiscoveryRun> =>
      unwrap(SERVICE, api.GET('/runs/{id}', { params: { path: { id } }, ...via(options) })),
    /** One page of opportunities, best first by `sort` (default the score). */
    opportunities: async (
      query: OpportunityQuery = {},
      options?: CallOptions,
    ): Promise<OpportunityPage> =>
      unwrap(
        SERVICE,
        api.GET('/opportunities', {
          params: {
            query: {
              ...(query.run === undefined ? {} : { run_id: query.run }),
              ...(query.sort === undefined ? {} : { sort: query.sort }),
              ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
            },
          },
          ...via(options),
        }),
      ),
  };
}

/** The client `ventureDiscoveryClient` builds. */
export type VentureDiscoveryClient = ReturnType<typeof ventureDiscoveryClient>;
