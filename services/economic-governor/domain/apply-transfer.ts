import { formatAmount, MAX_MINOR_UNITS } from './amounts.js';
import { failure } from './failures.js';
import { scaleOf } from './ledgers.js';
import type {
  AccountState,
  Balances,
  CreateCommand,
  PendingState,
  ResolveCommand,
  TransferCommand,
  TransferFailure,
  TransferRecord,
} from './types.js';

/** What one transaction sees: locked accounts, known transfers and pendings, and its clock. */
export interface LedgerState {
  readonly accounts: Map<string, AccountState>;
  /** Transfers with the ids the commands use, and those created so far in this batch. */
  readonly transfers: Map<string, TransferRecord>;
  readonly pendings: Map<string, PendingState>;
  readonly now: Date;
  /** Whether the caller may take money out of this account. */
  readonly canDebit: (account: AccountState, command: TransferCommand) => boolean;
}

export type Applied =
  | { readonly failure: TransferFailure }
  | { readonly exists: TransferRecord }
  | { readonly created: TransferRecord; readonly undo: () => void };

/** Applies one command to the state, or says why not (then nothing changed). */
export function applyCommand(state: LedgerState, command: TransferCommand): Applied {
  return command.type === 'create' ? applyCreate(state, command) : applyResolve(state, command);
}

function applyCreate(state: LedgerState, command: CreateCommand): Applied {
  const record: TransferRecord = {
    id: command.id,
    ledger: command.ledger,
    kind: command.kind,
    debitAccountId: command.debitAccountId,
    creditAccountId: command.creditAccountId,
    amount: command.amount,
    ...(command.kind === 'pending' && command.timeoutSeconds
      ? { timeoutAt: new Date(state.now.getTime() + command.timeoutSeconds * 1000) }
      : {}),
    ...(command.memo !== undefined ? { memo: command.memo } : {}),
  };
  const known = state.transfers.get(command.id);
  if (known) return sameTransfer(known, record, ['timeoutAt']);
  if (command.amount <= 0n)
    return refuse('amount_must_be_positive', 'amount', 'must be greater than zero');

  const debit = state.accounts.get(command.debitAccountId);
  const credit = state.accounts.get(command.creditAccountId);
  if (command.debitAccountId === command.creditAccountId) {
    return refuse(
      'accounts_must_be_different',
      'credit_account_id',
      'debit and credit account are the same account',
    );
  }
  if (!debit)
    return refuse(
      'account_not_found',
      'debit_account_id',
      `account ${command.debitAccountId} does not exist`,
    );
  if (!credit)
    return refuse(
      'account_not_found',
      'credit_account_id',
      `account ${command.creditAccountId} does not exist`,
    );
  for (const [field, account] of [
    ['debit_account_id', debit],
    ['credit_account_id', credit],
  ] as const) {
    if (account.ledger !== command.ledger) {
      return refuse(
        'ledger_mismatch',
        field,
        `account ${account.id} is on ledger ${account.ledger}, the transfer on ${command.ledger}`,
      );
    }
  }
  const reserved = reservedAccountRule(command.kind, debit, credit);
  if (reserved) return { failure: reserved };
  if (!state.canDebit(debit, command)) {
    return refuse(
      'not_account_owner',
      'debit_account_id',
      `the caller may not debit account ${debit.id}, owned by ${debit.owner}`,
    );
  }
  const limit =
    checkLimits(debit, credit, command.amount, command.ledger) ??
    checkOverflow(debit, credit, command.amount, command.ledger);
  if (limit) return { failure: limit };

  const pending = command.kind === 'pending';
  const change: BalanceChange = pending
    ? { debitsPending: command.amount }
    : { debitsPosted: command.amount };
  const creditChange: BalanceChange = pending
    ? { creditsPending: command.amount }
    : { creditsPosted: command.amount };
  if (pending) state.pendings.set(record.id, { transfer: record });
  return commit(
    state,
    record,
    [
      [debit, change],
      [credit, creditChange],
    ],
    () => state.pendings.delete(record.id),
  );
}

function applyResolve(state: LedgerState, command: ResolveCommand): Applied {
  const pending = state.pendings.get(command.pendingId);
  const known = state.transfers.get(command.id);
  if (!pending) {
    if (known)
      return sameTransfer(
        known,
        { ...known, kind: command.type, pendingId: command.pendingId },
        [],
      );
    const target = state.transfers.get(command.pendingId);
    return target
      ? refuse(
          'pending_transfer_not_pending',
          'pending_id',
          `transfer ${command.pendingId} is a ${target.kind} transfer, not a pending one`,
        )
      : refuse(
          'pending_transfer_not_found',
          'pending_id',
          `transfer ${command.pendingId} does not exist`,
        );
  }
  const original = pending.transfer;
  const amount = command.type === 'post' ? (command.amount ?? original.amount) : original.amount;
  const record: TransferRecord = {
    id: command.id,
    ledger: original.ledger,
    kind: command.type,
    debitAccountId: original.debitAccountId,
    creditAccountId: original.creditAccountId,
    amount,
    pendingId: original.id,
    ...(command.memo !== undefined ? { memo: command.memo } : {}),
  };
  if (known) return sameTransfer(known, record, []);
  if (pending.resolution) {
    const done = { post: 'posted', void: 'voided', expire: 'expired' } as const;
    return refuse(
      `pending_transfer_already_${done[pending.resolution]}`,
      'pending_id',
      `pending transfer ${original.id} was already ${done[pending.resolution]}`,
    );
  }
  const timedOut = original.timeoutAt !== undefined && original.timeoutAt <= state.now;
  if (command.type === 'expire' && !timedOut) {
    return refuse(
      'pending_transfer_not_expired',
      'pending_id',
      `pending transfer ${original.id} has not reached its timeout`,
    );
  }
  if (command.type !== 'expire' && timedOut) {
    return refuse(
      'pending_transfer_expired',
      'pending_id',
      `pending transfer ${original.id} timed out at ${original.timeoutAt?.toISOString()}`,
    );
  }
  if (amount <= 0n) return refuse('amount_must_be_positive', 'amount', 'must be greater than zero');
  if (amount > original.amount) {
    const scale = scaleOf(original.ledger);
    return refuse(
      'exceeds_pending_amount',
      'amount',
      `${formatAmount(amount, scale)} is more than the pending ${formatAmount(original.amount, scale)}`,
    );
  }
  const debit = state.accounts.get(original.debitAccountId) as AccountState;
  const credit = state.accounts.get(original.creditAccountId) as AccountState;
  if (command.type !== 'expire' && !state.canDebit(debit, command)) {
    return refuse(
      'not_account_owner',
      'pending_id',
      `the caller may not settle transfers out of account ${debit.id}, owned by ${debit.owner}`,
    );
  }
  const posted = command.type === 'post' ? amount : 0n;
  pending.resolution = command.type;
  return commit(
    state,
    record,
    [
      [debit, { debitsPending: -original.amount, debitsPosted: posted }],
      [credit, { creditsPending: -original.amount, creditsPosted: posted }],
    ],
    () => {
      pending.resolution = undefined;
    },
  );
}

type BalanceChange = Partial<Record<keyof Balances, bigint>>;

/** Applies a transfer's balance changes and records it; `undo` takes all of it back. */
function commit(
  state: LedgerState,
  record: TransferRecord,
  changes: readonly [AccountState, BalanceChange][],
  undoRest: () => void,
): Applied {
  const undos = changes.map(([account, change]) => adjust(account, change));
  state.transfers.set(record.id, record);
  return {
    created: record,
    undo: () => {
      for (const undo of undos) undo();
      state.transfers.delete(record.id);
      undoRest();
    },
  };
}

/** Accounts only some kinds of transfer may touch: issuance (mint, burn) and staking (stake, unstake). */
const RESERVED_ACCOUNTS = {
  issuance: {
    kinds: ['mint', 'burn'],
    code: 'issuance_account_reserved',
    says: 'the issuance account moves only by mint and burn',
  },
  staking: {
    kinds: ['stake', 'unstake'],
    code: 'staking_account_reserved',
    says: 'the staking account moves only by stake and unstake',
  },
} as const;

function reservedAccountRule(
  kind: TransferRecord['kind'],
  debit: AccountState,
  credit: AccountState,
): TransferFailure | undefined {
  for (const [field, account] of [
    ['debit_account_id', debit],
    ['credit_account_id', credit],
  ] as const) {
    const rule =
      account.kind === 'issuance' || account.kind === 'staking'
        ? RESERVED_ACCOUNTS[account.kind]
        : undefined;
    if (rule && !(rule.kinds as readonly string[]).includes(kind))
      return failure(rule.code, field, rule.says);
  }
  return undefined;
}

/** TigerBeetle's rules: pending reservations count against the limit as well. */
function checkLimits(
  debit: AccountState,
  credit: AccountState,
  amount: bigint,
  ledger: TransferRecord['ledger'],
): TransferFailure | undefined {
  const scale = scaleOf(ledger);
  if (debit.debitsMustNotExceedCredits) {
    const available = debit.creditsPosted - debit.debitsPosted - debit.debitsPending;
    if (amount > available) {
      return failure(
        'exceeds_credits',
        'amount',
        `account ${debit.id} has ${formatAmount(available, scale)} available, the transfer needs ${formatAmount(amount, scale)}`,
      );
    }
  }
  if (credit.creditsMustNotExceedDebits) {
    const room = credit.debitsPosted - credit.creditsPosted - credit.creditsPending;
    if (amount > room) {
      return failure(
        'exceeds_debits',
        'amount',
        `account ${credit.id} may receive at most ${formatAmount(room, scale)} more, the transfer brings ${formatAmount(amount, scale)}`,
      );
    }
  }
  return undefined;
}

/**
 * TigerBeetle's overflow rules: an account's debits (pending and posted together) and credits
 * stay within what numeric(38,0) holds. Posting moves pending to posted, so checking at creation
 * covers the whole life of a transfer.
 */
function checkOverflow(
  debit: AccountState,
  credit: AccountState,
  amount: bigint,
  ledger: TransferRecord['ledger'],
): TransferFailure | undefined {
  const scale = scaleOf(ledger);
  const largest = formatAmount(MAX_MINOR_UNITS, scale);
  if (debit.debitsPending + debit.debitsPosted + amount > MAX_MINOR_UNITS) {
    return failure(
      'overflows_debits',
      'amount',
      `would take the debits of account ${debit.id} beyond ${largest}, the most the ledger holds`,
    );
  }
  if (credit.creditsPending + credit.creditsPosted + amount > MAX_MINOR_UNITS) {
    return failure(
      'overflows_credits',
      'amount',
      `would take the credits of account ${credit.id} beyond ${largest}, the most the ledger holds`,
    );
  }
  return undefined;
}

function adjust(account: AccountState, change: BalanceChange): () => void {
  for (const [field, delta] of Object.entries(change) as [keyof Balances, bigint][])
    account[field] += delta;
  return () => {
    for (const [field, delta] of Object.entries(change) as [keyof Balances, bigint][])
      account[field] -= delta;
  };
}

/** Idempotency by id: the same transfer again is `exists`, different fields are a conflict. */
function sameTransfer(
  known: TransferRecord,
  asked: TransferRecord,
  ignored: readonly (keyof TransferRecord)[],
): Applied {
  const fields = [
    'kind',
    'ledger',
    'debitAccountId',
    'creditAccountId',
    'amount',
    'pendingId',
    'memo',
  ] as const;
  const differing = fields.filter(
    (field) => !ignored.includes(field) && known[field] !== asked[field],
  );
  if (differing.length === 0) return { exists: known };
  return refuse(
    'exists_with_different_fields',
    'id',
    `transfer ${known.id} already exists with a different ${differing.map(snakeCase).join(', ')}`,
  );
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const refuse = (...args: Parameters<typeof failure>): Applied => ({ failure: failure(...args) });
