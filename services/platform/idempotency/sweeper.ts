import type { Database } from '../db.js';
import type { LeaderWorker } from '../workers.js';
import { deleteExpiredIdempotencyKeys } from './idempotency-store.js';

/** Forgets `Idempotency-Key` replies older than `ttlHours`, on one replica, every `intervalMs`. */
export const idempotencyKeySweeper = ({
  sql,
  ttlHours,
  intervalMs = 60_000,
}: {
  sql: Database;
  ttlHours: number;
  intervalMs?: number;
}): LeaderWorker => ({
  name: 'idempotency-key-sweep',
  intervalMs,
  leader: { sql, lock: 'aia:kit:idempotency-key-sweep' },
  run: async (tx) => {
    await deleteExpiredIdempotencyKeys(tx, ttlHours);
    return 'idle';
  },
});
