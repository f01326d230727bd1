import type { Database } from '../../platform/db.js';
import type { LedgerCode } from '../domain/ledgers.js';
import { anyFailed, firstRefusal } from '../domain/refusals.js';
import type { TransferCommand, TransferRecord, TransferResult } from '../domain/types.js';
import { applyOperation, type Caller, type OperationOutcome } from './apply-operation.js';
import type { GroupCommit } from './group-commit.js';
import { TransferRefusedError } from './transfer-refused.js';

/** One transfer the ledger took: new (`created`) or the same id and fields again. */
export interface TransferOutcome {
  readonly transfer: TransferRecord;
  readonly created: boolean;
  readonly results: readonly TransferResult[];
}

/** The audit action of a command: `transfer.create`, `transfer.reserve`, `transfer.post`... */
export const transferAction = (command: TransferCommand): string =>
  command.type === 'create'
    ? `transfer.${command.kind === 'pending' ? 'reserve' : 'create'}`
    : `transfer.${command.type}`;

/** Applies one command in `tx`; a refusal throws `TransferRefusedError`. */
export async function applyTransfer(
  tx: Database,
  caller: Caller,
  command: TransferCommand,
  action = transferAction(command),
): Promise<TransferOutcome> {
  const ledger = command.type === 'create' ? command.ledger : undefined;
  return outcomeOf(
    await applyOperation(tx, caller, { action, ledger, commands: [command] }),
    ledger,
  );
}

/** The same through group commit: the transfer shares a transaction with concurrent ones. */
export async function applyGroupedTransfer(
  groupCommit: GroupCommit,
  caller: Caller,
  command: TransferCommand,
): Promise<TransferOutcome> {
  const ledger = command.type === 'create' ? command.ledger : undefined;
  const action = transferAction(command);
  return outcomeOf(
    await groupCommit.submit({ caller, action, ledger, commands: [command] }),
    ledger,
  );
}

function outcomeOf({ results }: OperationOutcome, ledger: LedgerCode | undefined): TransferOutcome {
  const [result] = results;
  if (!result || result.status === 'failed') {
    throw new TransferRefusedError(
      result?.status === 'failed' ? result.error : { code: 'failed', detail: 'no result' },
      ledger,
    );
  }
  return { transfer: result.transfer, created: result.status === 'created', results };
}

/**
 * Applies a batch in order. Entries succeed or fail on their own unless linked; an `atomic`
 * batch that failed anywhere throws, naming the entry at fault (`transfers.<i>.<field>`).
 */
export async function applyBatch(
  tx: Database,
  caller: Caller,
  {
    commands,
    atomic,
    ledger,
  }: { commands: readonly TransferCommand[]; atomic: boolean; ledger: LedgerCode },
): Promise<readonly TransferResult[]> {
  const { results } = await applyOperation(tx, caller, {
    action: 'transfer.batch',
    ledger,
    commands,
    details: { atomic, size: commands.length },
  });
  if (atomic && anyFailed(results)) {
    throw refusalOfGroup(results, ledger, {
      entry: (index) => `transfers.${index}`,
      field: (field) => field ?? 'id',
      consequence: 'nothing in the batch was applied',
    });
  }
  return results;
}

/** How a group's refusal names things: the entry (`transfers.3`), its field, and what it meant. */
export interface GroupNaming {
  readonly entry: (index: number) => string;
  readonly field: (field: string | undefined) => string;
  readonly consequence: string;
}

/** The error of an all-or-none group that failed: its first real refusal, named by `naming`. */
export function refusalOfGroup(
  results: readonly TransferResult[],
  ledger: LedgerCode,
  { entry, field, consequence }: GroupNaming,
): TransferRefusedError {
  const refusal = firstRefusal(results);
  if (!refusal) {
    return new TransferRefusedError(
      { code: 'linked_event_failed', detail: `the all-or-none group failed; ${consequence}` },
      ledger,
    );
  }
  const { index, failure } = refusal;
  return new TransferRefusedError(
    {
      code: failure.code,
      field: `${entry(index)}.${field(failure.field)}`,
      detail: `${entry(index)}: ${failure.detail}; ${consequence}`,
    },
    ledger,
  );
}
