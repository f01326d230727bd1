import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import postgres from 'postgres';
import { Registry } from 'prom-client';
import type { Database } from '../../services/platform/db.js';
import { connectEventBus } from '../../services/platform/events/index.js';
import { createRedis } from '../../services/platform/redis.js';
import { busConfig, FAST_LEASES, type TransportKind } from './fixtures.js';

/**
 * One relay or one consumer as a real process, for tests that SIGKILL it mid-stream. Reads
 * ROLE (`relay` | `consumer`), TRANSPORT, DATABASE_URL, REDIS_URL, KEY_PREFIX, and for a
 * consumer GROUP, NAME, HANDLE_DELAY_MS (time spent inside the handler's transaction, so a
 * kill often lands mid-transaction) and STALL_KEY with STALL_AT_SEQ (the handler never returns
 * from the event of that key and seq: the process holds it, and what it read after it, pending).
 * Prints `ready` once running.
 */
const env = process.env;
const role = env.ROLE;
const sql = postgres(String(env.DATABASE_URL), { max: 4, onnotice: () => {} }) as Database;
const redis = createRedis({ url: String(env.REDIS_URL) });
const bus = await connectEventBus({
  service: role === 'relay' ? 'economic-governor' : 'performance-tracker',
  config: busConfig((env.TRANSPORT ?? 'redis') as TransportKind),
  redis,
  logger: pino({ level: env.LOG_LEVEL ?? 'warn' }, pino.destination(2)),
  registry: new Registry(),
  redisStreams: { keyPrefix: `${env.KEY_PREFIX}events:`, ...FAST_LEASES },
});
if (role === 'relay') {
  bus.startRelay({ sql, batchSize: 10, pollIntervalMs: 20, leaderRetryMs: 100 });
} else {
  const delay = Number(env.HANDLE_DELAY_MS ?? 0);
  const stallAt = env.STALL_AT_SEQ === undefined ? undefined : Number(env.STALL_AT_SEQ);
  await bus.subscribe({
    topic: 'aia.ledger.transfers.v1',
    sql,
    group: String(env.GROUP),
    handler: async (event, { tx }) => {
      await tx`insert into handled (consumer, event_id, key, seq)
               values (${String(env.NAME)}, ${event.id}, ${event.key}, ${event.record.seq})`;
      if (delay > 0) await sleep(delay);
      if (event.key === env.STALL_KEY && event.record.seq === stallAt) await new Promise(() => {});
    },
  });
}
process.stdout.write('ready\n');
