import { type Applied, applyCommand, type LedgerState } from './apply-transfer.js';
import { failure } from './failures.js';
import type {
  AccountState,
  Balances,
  TransferCommand,
  TransferRecord,
  TransferResult,
} from './types.js';

export type { LedgerState } from './apply-transfer.js';

/** What a batch did to the state: results in request order and what to write. */
export interface BatchOutcome {
  readonly results: TransferResult[];
  /** New transfers, in the order they were applied. */
  readonly created: TransferRecord[];
  /** Per account that changed: the change of each balance (final minus initial). */
  readonly deltas: Map<string, Balances>;
}

const BALANCE_FIELDS = [
  'debitsPending',
  'debitsPosted',
  'creditsPending',
  'creditsPosted',
] as const;

/**
 * Applies commands in order, TigerBeetle style: each succeeds or fails on its own, except that
 * a command with `linked` chains with the next, and a chain succeeds or fails as a whole (its
 * other members then fail with `linked_event_failed`). A chain still open at the end fails.
 */
export function applyBatch(state: LedgerState, commands: readonly TransferCommand[]): BatchOutcome {
  const initial = new Map([...state.accounts].map(([id, account]) => [id, balancesOf(account)]));
  const results: TransferResult[] = [];
  let chain: { start: number; undo: (() => void)[]; failedAt?: number } | undefined;

  commands.forEach((command, index) => {
    chain ??= command.linked ? { start: index, undo: [] } : undefined;
    const chainOpenAtEnd = command.linked === true && index === commands.length - 1;
    const applied: Applied =
      chain?.failedAt !== undefined
        ? {
            failure: failure(
              'linked_event_failed',
              undefined,
              `transfer ${chain.failedAt} of the same linked chain failed`,
            ),
          }
        : chainOpenAtEnd
          ? {
              failure: failure(
                'linked_event_chain_open',
                'linked',
                'the last transfer of a batch must not be linked to a next one',
              ),
            }
          : applyCommand(state, command);
    results.push(resultOf(applied));
    if (!chain) return;
    if ('created' in applied) chain.undo.push(applied.undo);
    if ('failure' in applied && chain.failedAt === undefined) {
      chain.failedAt = index;
      for (const undo of chain.undo.reverse()) undo();
      for (let member = chain.start; member < index; member++) {
        results[member] = {
          status: 'failed',
          error: failure(
            'linked_event_failed',
            undefined,
            `transfer ${index} of the same linked chain failed`,
          ),
        };
      }
    }
    if (!command.linked) chain = undefined;
  });

  const created = results.flatMap((result) =>
    result.status === 'created' ? [result.transfer] : [],
  );
  return { results, created, deltas: deltasSince(initial, state.accounts) };
}

function resultOf(applied: Applied): TransferResult {
  if ('failure' in applied) return { status: 'failed', error: applied.failure };
  if ('exists' in applied) return { status: 'exists', transfer: applied.exists };
  return { status: 'created', transfer: applied.created };
}

const balancesOf = (account: AccountState): Balances => ({
  debitsPending: account.debitsPending,
  debitsPosted: account.debitsPosted,
  creditsPending: account.creditsPending,
  creditsPosted: account.creditsPosted,
});

function deltasSince(
  initial: Map<string, Balances>,
  accounts: Map<string, AccountState>,
): Map<string, Balances> {
  const deltas = new Map<string, Balances>();
  for (const [id, before] of initial) {
    const after = accounts.get(id) as AccountState;
    const delta = Object.fromEntries(
      BALANCE_FIELDS.map((field) => [field, after[field] - before[field]]),
    ) as unknown as Balances;
    if (BALANCE_FIELDS.some((field) => delta[field] !== 0n)) deltas.set(id, delta);
  }
  return deltas;
}
