import type { Agent } from 'node:http';
import { type HttpRequest, sendJson } from './http-client.js';

/**
 * The part of the economic-governor API the benchmark uses, with just enough checking of the
 * answers that a change of the contract fails here with a clear message, not later as a NaN.
 */

/** The body of `POST /v1/transfers` and of each item of `POST /v1/transfers/batch`. */
export interface TransferInput {
  readonly ledger: 'AIA';
  readonly debit_account_id: string;
  readonly credit_account_id: string;
  /** Decimal string in tokens, e.g. `'0.000001'`. */
  readonly amount: string;
}

/** Counts of a `POST /v1/transfers/batch` answer. */
export interface BatchOutcome {
  readonly created: number;
  readonly exists: number;
  readonly failed: number;
  /** The first failed item's error, as the service reported it. */
  readonly firstFailure?: string;
}

/** Most transfers one batch request may carry. */
export const MAX_BATCH = 8000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function contractError(what: string, body: unknown): Error {
  return new Error(`${what}; the answer was ${JSON.stringify(body).slice(0, 500)}`);
}

/** `GET /v1/ledgers` → the AIA treasury's account id (the holder of the genesis supply). */
export async function readTreasuryId(agent: Agent, origin: URL, token: string): Promise<string> {
  const body = await sendJson(agent, origin, { method: 'GET', path: '/v1/ledgers', token }, 200);
  const ledgers = isRecord(body) && Array.isArray(body.ledgers) ? body.ledgers : [];
  const aia = ledgers.find((ledger): ledger is Record<string, unknown> =>
    isRecord(ledger) ? ledger.code === 'AIA' : false,
  );
  const treasury = isRecord(aia?.system_accounts) ? aia.system_accounts.treasury : undefined;
  if (typeof treasury !== 'string') {
    throw contractError('GET /v1/ledgers has no AIA ledger with system_accounts.treasury', body);
  }
  return treasury;
}

/** `POST /v1/accounts` (201) with an id chosen here; returns the id the service answered with. */
export async function openAccount(
  agent: Agent,
  origin: URL,
  token: string,
  id: string,
): Promise<string> {
  const request: HttpRequest = {
    method: 'POST',
    path: '/v1/accounts',
    token,
    body: JSON.stringify({ ledger: 'AIA', id }),
  };
  const body = await sendJson(agent, origin, request, 201);
  const account = isRecord(body) ? body.account : undefined;
  if (!isRecord(account) || account.id !== id) {
    throw contractError(`POST /v1/accounts did not answer { account: { id: '${id}' } }`, body);
  }
  return id;
}

/** The request of `POST /v1/transfers` for one transfer. */
export function transferRequest(token: string, transfer: TransferInput): HttpRequest {
  return { method: 'POST', path: '/v1/transfers', token, body: JSON.stringify(transfer) };
}

/** `POST /v1/transfers/batch` (200) with up to `MAX_BATCH` transfers; returns its counts. */
export async function postBatch(
  agent: Agent,
  origin: URL,
  token: string,
  transfers: readonly TransferInput[],
): Promise<BatchOutcome> {
  const request: HttpRequest = {
    method: 'POST',
    path: '/v1/transfers/batch',
    token,
    body: JSON.stringify({ transfers }),
  };
  const body = await sendJson(agent, origin, request, 200);
  if (
    !isRecord(body) ||
    typeof body.created !== 'number' ||
    typeof body.exists !== 'number' ||
    typeof body.failed !== 'number' ||
    !Array.isArray(body.results)
  ) {
    throw contractError(
      'POST /v1/transfers/batch did not answer { results, created, exists, failed }',
      body,
    );
  }
  const failure = body.results.find((result) => isRecord(result) && result.status === 'failed');
  return {
    created: body.created,
    exists: body.exists,
    failed: body.failed,
    ...(isRecord(failure) ? { firstFailure: JSON.stringify(failure.error ?? failure) } : {}),
  };
}
