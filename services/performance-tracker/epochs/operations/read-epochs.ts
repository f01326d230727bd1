import { AppError, NotFoundError, ServiceUnavailableError } from '../../../platform/errors.js';
import {
  ServiceProblemError,
  ServiceUnavailableError as UpstreamUnavailableError,
} from '../../../platform/service-client/index.js';
import { epochAt } from '../domain/epoch-clock.js';
import {
  type BuiltEpoch,
  type EpochRow,
  findEpoch,
  listEpochs,
  type PayoutRow,
  payoutLines,
} from '../repository/epoch-store.js';
import { type EpochContext, nowOf } from './epoch-context.js';
import { computePayoutTable } from './payout-table.js';

/** A page of epochs, newest first; `next` continues before the last one. */
export async function epochPage(
  context: EpochContext,
  { limit, before }: { limit: number; before?: number },
): Promise<{ epochs: EpochRow[]; next: number | null }> {
  const epochs = await listEpochs(context.sql, {
    limit,
    ...(before === undefined ? {} : { before }),
  });
  return { epochs, next: epochs.length === limit ? (epochs.at(-1)?.epoch ?? null) : null };
}

/** An epoch's row and payout table; 404 for an epoch without either. */
export async function epochWithTable(
  context: EpochContext,
  epoch: number,
): Promise<{ row: EpochRow; lines: PayoutRow[] }> {
  const row = await findEpoch(context.sql, epoch);
  if (!row)
    throw new NotFoundError(
      `epoch ${epoch} has no payout table (it has not ended, or came before the first payout)`,
    );
  return { row, lines: await payoutLines(context.sql, epoch) };
}

/** The epoch a dry-run names: a number, or `current` (the epoch now running). */
export const epochNamed = (context: EpochContext, name: number | 'current'): number =>
  name === 'current' ? epochAt(nowOf(context), context.settings.hours) : name;

/**
 * What epoch `epoch` pays or would pay: its stored table once built (what the payer sends), else
 * the table as it would be built now (from the runs so far, the pool's balance and the agents'
 * accounts now), stored nowhere.
 */
export async function payoutPreview(
  context: EpochContext,
  epoch: number,
): Promise<{ row: EpochRow | undefined; built: BuiltEpoch | undefined; lines: PayoutRow[] }> {
  if (epoch < 0) throw new NotFoundError(`epoch ${epoch} is before the epochs' origin`);
  const row = await findEpoch(context.sql, epoch);
  if (row?.builtAt) return { row, built: undefined, lines: await payoutLines(context.sql, epoch) };
  const built = await computePayoutTable(context, epoch, row?.revision ?? 0).catch(upstreamError);
  return { row, built, lines: [...built.lines] };
}

const BAD_GATEWAY = 502;

/** A dry-run reads the ledger and the orchestrator: their failures become 503 or 502. */
function upstreamError(error: unknown): never {
  if (error instanceof UpstreamUnavailableError)
    throw new ServiceUnavailableError(`${error.message}: no payout preview; retry`);
  if (error instanceof ServiceProblemError)
    throw new AppError(BAD_GATEWAY, 'upstream_refused', `no payout preview: ${error.message}`, {
      cause: error,
    });
  throw error;
}
