import type { Database } from '../../platform/db.js';
import { applyBatch } from '../domain/engine.js';
import { type LedgerCode, SYSTEM_OWNER } from '../domain/ledgers.js';
import type {
  AccountState,
  ResolutionKind,
  ResolveCommand,
  TransferCommand,
  TransferRecord,
  TransferResult,
} from '../domain/types.js';
import {
  loadResolutions,
  loadTransfers,
  lockAccounts,
  writeTransfers,
} from '../repository/transfer-store.js';

/** Who asks: the token's subject, whether it holds `treasury:admin`, and the request id. */
export interface Caller {
  readonly subject: string;
  readonly admin: boolean;
  readonly requestId?: string;
}

/** One operation as the audit log records it, made of transfer commands applied in order. */
export interface Operation {
  readonly action: string;
  readonly ledger?: LedgerCode;
  readonly commands: readonly TransferCommand[];
  readonly details?: Record<string, unknown>;
}

/** An operation and who asked for it: several can share one transaction (group commit). */
export interface Submission extends Operation {
  readonly caller: Caller;
}

export interface OperationOutcome {
  readonly results: TransferResult[];
  /** The audit entry, when something was written. */
  readonly auditId?: string;
}

/**
 * A treasury admin may debit any account; anyone else only accounts they own, never the system's
 * (whatever subject a token carries).
 */
export const mayDebit = (caller: Caller, account: AccountState): boolean =>
  caller.admin || (account.owner === caller.subject && account.owner !== SYSTEM_OWNER);

const unique = <T>(values: readonly T[]) => [...new Set(values)];
const isResolve = (command: TransferCommand): command is ResolveCommand =>
  command.type !== 'create';

/**
 * Applies an operation inside the caller's transaction: reads the transfers its ids name, locks
 * every account involved, applies the commands in memory by the ledger's rules, and writes what
 * succeeded in one statement. Nothing is written when nothing succeeded.
 */
export async function applyOperation(
  tx: Database,
  caller: Caller,
  operation: Operation,
): Promise<OperationOutcome> {
  const [outcome] = await applySubmissions(tx, [{ ...operation, caller }]);
  return outcome as OperationOutcome;
}

/**
 * Applies several callers' operations in one transaction, in order, each with its own
 * authorisation, audit entry and results, as if applied one after the other. Linked chains stay
 * inside their operation: a chain left open at an operation's end fails there.
 */
export async function applySubmissions(
  tx: Database,
  submissions: readonly Submission[],
): Promise<OperationOutcome[]> {
  if (submissions.length > 1 && submissions.some((s) => s.commands.at(-1)?.linked)) {
    throw new Error('a linked chain may not run from one operation into the next');
  }
  const callers = new Map<TransferCommand, Caller>();
  const commands = submissions.flatMap((submission) =>
    submission.commands.map((command) => {
      callers.set(command, submission.caller);
      return command;
    }),
  );
  const state = await loadState(tx, commands);
  const outcome = applyBatch(
    {
      ...state,
      canDebit: (account: AccountState, command: TransferCommand) => {
        const caller = callers.get(command);
        return caller !== undefined && mayDebit(caller, account);
      },
    },
    commands,
  );
  // Back to operations: each one's slice of the results, and an audit entry for those that wrote.
  let offset = 0;
  let entries = 0;
  const slices = submissions.map((submission) => {
    const results = outcome.results.slice(offset, offset + submission.commands.length);
    offset += submission.commands.length;
    const created = results.filter((result) => result.status === 'created').length;
    return { submission, results, created, entry: created > 0 ? entries++ : -1 };
  });
  if (entries === 0) return slices.map(({ results }) => ({ results }));
  const entryOf = new Map<string, number>();
  for (const slice of slices) {
    for (const result of slice.results) {
      if (result.status === 'created') entryOf.set(result.transfer.id, slice.entry);
    }
  }
  const written = await writeTransfers(
    tx,
    slices
      .filter((slice) => slice.entry >= 0)
      .map(({ submission, created }) => ({
        actor: submission.caller.subject,
        action: submission.action,
        requestId: submission.caller.requestId,
        ledger: submission.ledger,
        details: { ...submission.details, transfers: created },
      })),
    outcome.created.map((transfer) => ({ transfer, entry: entryOf.get(transfer.id) ?? 0 })),
    outcome.deltas,
  );
  return slices.map(({ results, entry }) => ({
    results: results.map((result): TransferResult => {
      if (result.status !== 'created') return result;
      const stamp = written.stamps.get(result.transfer.id);
      return { status: 'created', transfer: { ...result.transfer, ...stamp } };
    }),
    ...(entry >= 0 ? { auditId: written.auditIds[entry] } : {}),
  }));
}

/**
 * What the engine needs, read in a safe order: the transfers the commands name; the accounts,
 * locked in id order (so two transactions never wait on each other in a cycle); then, under those
 * locks, how the named pending transfers ended.
 */
async function loadState(tx: Database, commands: readonly TransferCommand[]) {
  const ids = commands.map((command) => command.id);
  const pendingIds = unique(commands.filter(isResolve).map((command) => command.pendingId));
  const accountIds = commands.flatMap((command) =>
    command.type === 'create' ? [command.debitAccountId, command.creditAccountId] : [],
  );
  let known: Map<string, TransferRecord>;
  let locked: Awaited<ReturnType<typeof lockAccounts>>;
  if (pendingIds.length === 0) {
    // Independent reads: sent together, one round trip.
    [known, locked] = await Promise.all([
      loadTransfers(tx, ids),
      lockAccounts(tx, unique(accountIds)),
    ]);
  } else {
    known = await loadTransfers(tx, unique([...ids, ...pendingIds]));
    const pendingAccounts = pendingIds.flatMap((id) => {
      const pending = known.get(id);
      return pending ? [pending.debitAccountId, pending.creditAccountId] : [];
    });
    locked = await lockAccounts(tx, unique([...accountIds, ...pendingAccounts]));
  }
  // A resolution is also a known transfer: a concurrent resend of it is then `exists`.
  const resolutions = new Map<string, ResolutionKind>();
  for (const resolution of await loadResolutions(tx, pendingIds)) {
    known.set(resolution.id, resolution);
    if (resolution.pendingId)
      resolutions.set(resolution.pendingId, resolution.kind as ResolutionKind);
  }
  const pendings = new Map(
    pendingIds.flatMap((id) => {
      const transfer = known.get(id);
      return transfer?.kind === 'pending'
        ? [[id, { transfer, resolution: resolutions.get(id) }] as const]
        : [];
    }),
  );
  return { accounts: locked.accounts, transfers: known, pendings, now: locked.now };
}
