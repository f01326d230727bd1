import type { Database } from '../platform/db.js';
import { applyBatch } from './domain/engine.js';
import type { LedgerCode } from './domain/ledgers.js';
import type {
  AccountState,
  ResolutionKind,
  ResolveCommand,
  TransferCommand,
  TransferRecord,
  TransferResult,
} from './domain/types.js';
import {
  loadResolutions,
  loadTransfers,
  lockAccounts,
  writeTransfers,
} from './repository/transfer-store.js';

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

export interface OperationOutcome {
  readonly results: TransferResult[];
  /** The audit entry, when something was written. */
  readonly auditId?: string;
}

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
  const { commands } = operation;
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
  // Read after the locks: whoever resolved one of these pendings held the same locks and committed.
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
  const outcome = applyBatch(
    {
      accounts: locked.accounts,
      transfers: known,
      pendings,
      now: locked.now,
      canDebit: (account: AccountState) => caller.admin || account.owner === caller.subject,
    },
    commands,
  );
  if (outcome.created.length === 0) return { results: outcome.results };
  const written = await writeTransfers(
    tx,
    {
      actor: caller.subject,
      action: operation.action,
      requestId: caller.requestId,
      ledger: operation.ledger,
      details: { ...operation.details, transfers: outcome.created.length },
    },
    outcome.created,
    outcome.deltas,
  );
  const results = outcome.results.map((result): TransferResult => {
    if (result.status !== 'created') return result;
    const stamp = written.stamps.get(result.transfer.id);
    return { status: 'created', transfer: { ...result.transfer, ...stamp } };
  });
  return { results, auditId: written.auditId };
}
