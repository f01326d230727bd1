import type { TransferFailure, TransferResult } from './types.js';

/**
 * The refusal that sank an all-or-none group of transfers: the first failure that is not merely
 * `linked_event_failed` (the others failed because of it), with its position.
 */
export function firstRefusal(
  results: readonly TransferResult[],
): { readonly index: number; readonly failure: TransferFailure } | undefined {
  const index = results.findIndex(
    (result) => result.status === 'failed' && result.error.code !== 'linked_event_failed',
  );
  const result = results[index];
  return result?.status === 'failed' ? { index, failure: result.error } : undefined;
}

/** Whether anything of an all-or-none group failed (then nothing of it was applied). */
export const anyFailed = (results: readonly TransferResult[]): boolean =>
  results.some((result) => result.status === 'failed');
