import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import {
  type CallOptions,
  type ServiceTransport,
  unwrap,
} from '../platform/service-client/index.js';
import type { components, paths } from './openapi.gen.js';

type Schemas = components['schemas'];
export type Account = Schemas['Account'];
export type OpenAccount = Schemas['OpenAccount'];
export type Transfer = Schemas['Transfer'];
export type NewTransfer = Schemas['NewTransfer'];
export type ResolvePending = Schemas['ResolvePending'];
export type Batch = Schemas['Batch'];
export type BatchResult = Schemas['BatchResult'];
export type Ledger = Schemas['Ledger'];
export type Stake = Schemas['Stake'];
export type NewStake = Schemas['NewStake'];
export type RewardDistribution = Schemas['RewardDistribution'];

/** One page of an account's transfers, newest first. */
export interface TransferPage {
  readonly transfers: Transfer[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly next_cursor: string | null;
}

const SERVICE = 'economic-governor';

/**
 * The economic governor's API for other services and tools, typed from the OpenAPI document it
 * serves (`openapi.gen.ts`). Every method throws `ServiceProblemError` for an error answer (the
 * ledger's problem document and code, such as `exceeds_credits`) and `ServiceUnavailableError`
 * when no answer comes. POSTs carry an `Idempotency-Key` (a new one per call unless given), so
 * they are retried safely; `api` reaches any operation directly.
 *
 * @example
 * const governor = clients['economic-governor'];
 * const account = await governor.openAccount({ ledger: 'AIA', kind: 'user', memo: 'agent 7' });
 * await governor.transfer({ ledger: 'AIA', debit_account_id: from, credit_account_id: account.id,
 *   amount: '10', code: 1 }, { idempotencyKey: `reward-${runId}` });
 */
export function economicGovernorClient(transport: ServiceTransport) {
  const api = createClient<paths>({ baseUrl: transport.apiUrl });
  const via = (options?: CallOptions) => ({ fetch: transport.fetchFor(options) });
  // The ledger replays a POST whose Idempotency-Key it has seen: with one, a POST is retried.
  const once = (options: CallOptions = {}) =>
    via({ ...options, idempotencyKey: options.idempotencyKey ?? randomUUID() });
  const resolvePending = async (
    path: '/transfers/{id}/post' | '/transfers/{id}/void',
    id: string,
    input: ResolvePending,
    options?: CallOptions,
  ): Promise<Transfer> =>
    (
      await unwrap(
        SERVICE,
        api.POST(path, { params: { path: { id } }, body: input, ...once(options) }),
      )
    ).transfer;
  return {
    api,
    /** Both ledgers with their supply, system accounts and totals. */
    ledgers: async (options?: CallOptions): Promise<Ledger[]> =>
      (await unwrap(SERVICE, api.GET('/ledgers', via(options)))).ledgers,
    /** Opens an account (the caller owns it unless it is a treasury admin naming another owner). */
    openAccount: async (input: OpenAccount, options?: CallOptions): Promise<Account> =>
      (await unwrap(SERVICE, api.POST('/accounts', { body: input, ...once(options) }))).account,
    /** An account with its balances. */
    account: async (id: string, options?: CallOptions): Promise<Account> =>
      (
        await unwrap(
          SERVICE,
          api.GET('/accounts/{id}', { params: { path: { id } }, ...via(options) }),
        )
      ).account,
    /** One page of an account's transfers, newest first. */
    accountTransfers: (
      id: string,
      page: { limit?: number; cursor?: string } = {},
      options?: CallOptions,
    ): Promise<TransferPage> =>
      unwrap(
        SERVICE,
        api.GET('/accounts/{id}/transfers', {
          params: {
            path: { id },
            query: {
              ...(page.limit === undefined ? {} : { limit: String(page.limit) }),
              ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
            },
          },
          ...via(options),
        }),
      ),
    /** Moves tokens, or reserves them (a pending transfer). */
    transfer: async (input: NewTransfer, options?: CallOptions): Promise<Transfer> =>
      (await unwrap(SERVICE, api.POST('/transfers', { body: input, ...once(options) }))).transfer,
    /** A transfer by id. */
    getTransfer: async (id: string, options?: CallOptions): Promise<Transfer> =>
      (
        await unwrap(
          SERVICE,
          api.GET('/transfers/{id}', { params: { path: { id } }, ...via(options) }),
        )
      ).transfer,
    /** Commits a pending transfer (all of it, or `amount` of it). */
    postPending: (id: string, input: ResolvePending = {}, options?: CallOptions) =>
      resolvePending('/transfers/{id}/post', id, input, options),
    /** Releases a pending transfer's reservation. */
    voidPending: (id: string, input: ResolvePending = {}, options?: CallOptions) =>
      resolvePending('/transfers/{id}/void', id, input, options),
    /**
     * Pays rewards from the ledger's reward pool, all or none (`rewards:distribute`). The same
     * distribution `id` pays once: sent again it answers 200 and pays nothing.
     */
    distributeRewards: async (input: RewardDistribution, options?: CallOptions): Promise<void> => {
      await unwrap(SERVICE, api.POST('/rewards/distributions', { body: input, ...once(options) }));
    },
    /** Several transfers and account openings, each on its own or linked atomically. */
    batch: (input: Batch, options?: CallOptions): Promise<BatchResult> =>
      unwrap(SERVICE, api.POST('/transfers/batch', { body: input, ...once(options) })),
  };
}

/** The economic governor's typed client. */
export type EconomicGovernorClient = ReturnType<typeof economicGovernorClient>;
