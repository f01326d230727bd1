import type { AuditEntry } from './chain.js';

interface Waiting {
  readonly entry: AuditEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the chain: entries handed in while a batch is being written wait and go
 * together in the next one (at most `maxBatch`), in the order they came. The chain is one lock
 * and each transaction one commit (one disk flush), so one entry per transaction caps the whole
 * platform's audited calls at the commits a second one session can make (about 70 here); a batch
 * shares them. Each caller's promise settles with its batch.
 */
export function groupAppend(
  write: (entries: readonly AuditEntry[]) => Promise<unknown>,
  maxBatch = 256,
): (entry: AuditEntry) => Promise<void> {
  const waiting: Waiting[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      try {
        await write(batch.map((item) => item.entry));
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    writing = false;
  };
  return (entry) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ entry, resolve, reject });
      if (!writing) void drain();
    });
}
