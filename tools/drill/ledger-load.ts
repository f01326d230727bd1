import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { send } from '../../bench/ledger/http-client.js';
import { transferRequest } from '../../bench/ledger/ledger-api.js';
import { randomTransfer } from '../../bench/ledger/ledger-fixture.js';
import { nowUs } from './clock.js';

/** A transfer the governor acknowledged (201), and when its answer arrived. */
export interface Acknowledged {
  readonly id: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  /** As sent: a decimal string in tokens. */
  readonly amount: string;
  /** Microseconds since the epoch, on this machine's clock (the server's clock too, here). */
  readonly ackedUs: bigint;
}

/** What became of every transfer the load sent. */
export interface LoadOutcome {
  readonly acknowledged: readonly Acknowledged[];
  /** Answered with another status: id → `status body`. None is expected. */
  readonly refused: ReadonlyMap<string, string>;
  /** Sent but not answered (the connection failed). */
  readonly unanswered: readonly string[];
}

/** A running load; `stop()` lets each client finish its request and returns the outcome. */
export interface LedgerLoad {
  acknowledgedSoFar(): number;
  stop(): Promise<LoadOutcome>;
}

/** Options of `startLedgerLoad`. */
export interface LedgerLoadOptions {
  readonly origin: URL;
  /** A `ledger:write` token of the accounts' owner. */
  readonly token: string;
  readonly accountIds: readonly string[];
  /** Clients, each with one request in flight. */
  readonly clients: number;
  /** Of each transfer: small enough that no account runs dry. */
  readonly amount: string;
}

const CREATED = 201;

/**
 * Closed-loop clients sending `POST /v1/transfers` between random pairs of accounts, each with an
 * id chosen here (the ledger's idempotency key), so that every transfer can be looked for after
 * the restore whatever its answer was.
 */
export function startLedgerLoad(options: LedgerLoadOptions): LedgerLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const acknowledged: Acknowledged[] = [];
  const refused = new Map<string, string>();
  const unanswered: string[] = [];
  let stopping = false;

  const client = async (): Promise<void> => {
    while (!stopping) {
      const transfer = { ...randomTransfer(options.accountIds, options.amount), id: randomUUID() };
      try {
        const response = await send(
          agent,
          options.origin,
          transferRequest(options.token, transfer),
        );
        if (response.status === CREATED) {
          acknowledged.push({
            id: transfer.id,
            debitAccountId: transfer.debit_account_id,
            creditAccountId: transfer.credit_account_id,
            amount: transfer.amount,
            ackedUs: nowUs(),
          });
        } else {
          refused.set(transfer.id, `${response.status} ${response.body.slice(0, 200)}`);
        }
      } catch {
        unanswered.push(transfer.id);
      }
    }
  };
  const running = Array.from({ length: options.clients }, client);

  return {
    acknowledgedSoFar: () => acknowledged.length,
    stop: async () => {
      stopping = true;
      await Promise.all(running);
      agent.destroy();
      return { acknowledged, refused, unanswered };
    },
  };
}
