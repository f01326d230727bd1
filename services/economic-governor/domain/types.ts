import type { AccountKind, LedgerCode } from './ledgers.js';

/** An account as locked for one transaction; balances in minor units. */
export interface AccountState {
  readonly id: string;
  readonly ledger: LedgerCode;
  readonly kind: AccountKind;
  readonly owner: string;
  readonly debitsMustNotExceedCredits: boolean;
  readonly creditsMustNotExceedDebits: boolean;
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
}

export type Balances = Pick<
  AccountState,
  'debitsPending' | 'debitsPosted' | 'creditsPending' | 'creditsPosted'
>;

/** What a transfer does: `transfer` and `pending` are the general kinds, the others are named uses. */
export const TRANSFER_KINDS = [
  'transfer',
  'pending',
  'post',
  'void',
  'expire',
  'mint',
  'burn',
  'stake',
  'unstake',
  'reward',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];
export type ResolutionKind = 'post' | 'void' | 'expire';
export type CreateKind = Exclude<TransferKind, ResolutionKind>;

/** A committed (or about to be committed) transfer. */
export interface TransferRecord {
  readonly id: string;
  readonly ledger: LedgerCode;
  readonly kind: TransferKind;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amount: bigint;
  readonly pendingId?: string;
  readonly timeoutAt?: Date;
  readonly memo?: string;
  readonly createdAt?: Date;
  readonly seq?: string;
}

/** Moves `amount` from the debit to the credit account; `pending` reserves it instead. */
export interface CreateCommand {
  readonly type: 'create';
  readonly id: string;
  readonly kind: CreateKind;
  readonly ledger: LedgerCode;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amount: bigint;
  /** Only for `pending`: seconds until the reservation is released by itself. */
  readonly timeoutSeconds?: number;
  readonly memo?: string;
  /** Chains this command with the next: they succeed or fail together. */
  readonly linked?: boolean;
}

/** Posts (all or part of), voids or expires a pending transfer. */
export interface ResolveCommand {
  readonly type: ResolutionKind;
  readonly id: string;
  readonly pendingId: string;
  /** Only for `post`: default the whole pending amount. */
  readonly amount?: bigint;
  readonly memo?: string;
  readonly linked?: boolean;
}

export type TransferCommand = CreateCommand | ResolveCommand;

/** A pending transfer and how it ended, if it did. */
export interface PendingState {
  readonly transfer: TransferRecord;
  resolution?: ResolutionKind;
}

export type TransferResult =
  | { readonly status: 'created'; readonly transfer: TransferRecord }
  | { readonly status: 'exists'; readonly transfer: TransferRecord }
  | { readonly status: 'failed'; readonly error: TransferFailure };

/** Why one transfer of a batch was refused; nothing of it was applied. */
export interface TransferFailure {
  readonly code: string;
  /** The request field at fault, when there is one. */
  readonly field?: string;
  readonly detail: string;
}
