import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHandledTable,
  keysOutOfOrder,
  transferRecord,
  transportKinds,
  until,
} from '../../../test/events/fixtures.js';
import { kill, killWorkers, startWorker } from '../../../test/events/worker-process.js';
import { useTestDatabase, useTestRedis } from '../../../test/harness/index.js';
import type { Database } from '../db.js';
import { migrateEventTables } from './event-tables.js';
import { writeEvent } from './outbox.js';

const KEYS = 8;
const ROUNDS = 40;
const TOTAL = KEYS * ROUNDS;

const database = useTestDatabase('events_killed');
const redis = useTestRedis();
let sql: Database;

beforeAll(async () => {
  sql = postgres(database.url, { max: 4, onnotice: () => {} });
  await migrateEventTables(sql);
  await createHandledTable(sql);
});
afterAll(async () => {
  await killWorkers();
  await sql?.end();
});

describe.each(transportKinds)(
  'relay and consumers on %s killed with SIGKILL mid-stream',
  (kind) => {
    it('lose no event and handle none twice, in order per key', { timeout: 120_000 }, async () => {
      const run = randomUUID();
      const keys = Array.from({ length: KEYS }, (_, i) => `${run}-${i}`);
      const common = {
        TRANSPORT: kind,
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        KEY_PREFIX: `${redis.keyPrefix}${kind}:${run}:`,
      };
      const consumer = (name: string) =>
        startWorker({
          ...common,
          ROLE: 'consumer',
          GROUP: `killed-${run}`,
          NAME: name,
          HANDLE_DELAY_MS: '5',
        });
      const relay = () => startWorker({ ...common, ROLE: 'relay' });
      const handled = async () =>
        Number(
          (
            await sql<
              { n: string }[]
            >`select count(*) as n from handled where key like ${`${run}-%`}`
          )[0]?.n,
        );

      let relays = [await relay(), await relay()];
      let consumers = [await consumer('c1'), await consumer('c2')];
      const written: string[] = [];
      const writing = (async () => {
        for (let seq = 1; seq <= ROUNDS; seq++) {
          await sql.begin(async (tx) => {
            for (const key of keys)
              written.push(
                await writeEvent(
                  tx as unknown as Database,
                  'aia.ledger.transfers.v1',
                  key,
                  transferRecord(seq),
                  { producer: 'economic-governor' },
                ),
              );
          });
        }
      })();

      // Kill the leading relay (the one of the two that publishes) and a consumer, each while
      // events are flowing, then the rest, always leaving or starting a replacement.
      await until('a quarter was handled', async () => (await handled()) >= TOTAL / 4, 60_000);
      await kill(relays[0] as never);
      await kill(relays[1] as never);
      relays = [await relay()];
      await kill(consumers[0] as never);
      consumers = [consumers[1] as never, await consumer('c3')];
      await until('half was handled', async () => (await handled()) >= TOTAL / 2, 60_000);
      await kill(consumers[0] as never);
      await kill(relays[0] as never);
      relays = [await relay()];
      consumers = [consumers[1] as never, await consumer('c4')];
      await writing;

      await until('every event was handled', async () => (await handled()) >= TOTAL, 60_000);
      const rows = await sql<{ event_id: string }[]>`
      select event_id from handled where key like ${`${run}-%`}`;
      expect(rows).toHaveLength(TOTAL);
      expect(new Set(rows.map((row) => row.event_id)).size).toBe(TOTAL);
      expect(rows.map((row) => row.event_id).sort()).toEqual([...written].sort());
      expect(await keysOutOfOrder(sql, '%')).toEqual([]);
      await until(
        'the outbox is empty',
        async () => (await sql`select 1 from outbox where key like ${`${run}-%`}`).length === 0,
      );
      await Promise.all([...relays, ...consumers].map((child) => kill(child)));
    });

    it('redelivers what a killed consumer left pending to the member that takes its partitions', {
      timeout: 60_000,
    }, async () => {
      const run = randomUUID();
      const key = `${run}-stall`;
      const common = {
        TRANSPORT: kind,
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        KEY_PREFIX: `${redis.keyPrefix}${kind}:${run}:`,
        ROLE: 'consumer',
        GROUP: `stall-${run}`,
      };
      const count = async (name: string) =>
        Number(
          (
            await sql<
              { n: string }[]
            >`select count(*) as n from handled where key = ${key} and consumer like ${name}`
          )[0]?.n,
        );
      const stalled = await startWorker({
        ...common,
        NAME: 'stalled',
        STALL_KEY: key,
        STALL_AT_SEQ: '5',
      });
      const relay = await startWorker({ ...common, ROLE: 'relay' });
      await sql.begin(async (tx) => {
        for (let seq = 1; seq <= 20; seq++)
          await writeEvent(
            tx as unknown as Database,
            'aia.ledger.transfers.v1',
            key,
            transferRecord(seq),
            { producer: 'economic-governor' },
          );
      });
      // Seq 5 is in hand, uncommitted, and 6..20 were read with it: all pending on `stalled`.
      await until('the stalled member handled 1..4', async () => (await count('stalled')) === 4);
      await kill(stalled);
      const successor = await startWorker({ ...common, NAME: 'successor' });
      await until('the successor handled the rest', async () => (await count('successor')) === 16);
      const rows = await sql<{ seq: number; consumer: string }[]>`
        select seq, consumer from handled where key = ${key} order by n`;
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(rows.slice(4).every((row) => row.consumer === 'successor')).toBe(true);
      await kill(successor);
      await kill(relay);
    });
  },
);
