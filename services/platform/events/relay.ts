import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ReservedSql } from 'postgres';
import { eventTopics } from '../../events/topics.js';
import type { Database } from '../db.js';
import { type EventEnvelope, encodeEnvelope } from './envelope.js';
import type { EventMetrics } from './metrics.js';
import type { EventTransport } from './transport.js';

export interface RelayOptions {
  /** The service's database, holding its `outbox`. */
  readonly sql: Database;
  /** Events read, published and deleted at once. Default 200. */
  readonly batchSize?: number;
  /** Pause after the outbox was found empty or short of a batch. Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** How often a relay that is not the leader tries to become it. Default 2 s. */
  readonly leaderRetryMs?: number;
}

/** A running relay. */
export interface Relay {
  /** Finishes the batch in hand, gives leadership up and returns. */
  stop(): Promise<void>;
}

interface RelayDependencies {
  readonly transport: EventTransport;
  /** The service: its outbox rows are the ones this relay publishes. */
  readonly producer: string;
  readonly logger: Logger;
  readonly metrics: EventMetrics;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  key: string;
  payload: unknown;
  schema_version: number;
  trace_context: { traceparent?: string; tracestate?: string } | null;
  created_at: Date;
  producer: string | null;
}

/**
 * One lock per service and database: every replica of the service runs a relay, one publishes,
 * and services that share a database each have their leader.
 */
export const leaderLock = (producer: string): string => `aia:events:relay:${producer}`;

/**
 * Topics whose outbox rows without a producer (written before the column, or by SQL that does
 * not name it) `producer` publishes: those it is the first declared producer of. Every topic has
 * one producer today; the rule leaves no such row to nobody, and to one relay only.
 */
export const unattributedTopicsOf = (producer: string): string[] =>
  Object.entries(eventTopics)
    .filter(([, topic]) => topic.producers[0] === producer)
    .map(([name]) => name);

/**
 * Publishes the service's outbox rows (its own, and the unattributed rows of topics it is the
 * first producer of): reads them in id order, publishes a batch (in order per key), then deletes
 * what was published. Killed between publish and delete, the next leader publishes those events
 * again, which consumers skip by event id: at least once, nothing lost. One relay per service and
 * database publishes at a time: the leader holds a session advisory lock on a connection of its own, and
 * reads and deletes on that connection, so a relay whose session ended cannot go on alone. It
 * polls (a short pause when idle, none while batches are full) rather than LISTEN/NOTIFY:
 * NOTIFY takes a database-wide lock at every commit that writes one, and the ledger's commits are
 * its hottest path.
 */
export function startRelay(
  { sql, batchSize = 200, pollIntervalMs = 200, leaderRetryMs = 2_000 }: RelayOptions,
  { transport, producer, logger, metrics }: RelayDependencies,
): Relay {
  const controller = new AbortController();
  const { signal } = controller;
  const pause = (ms: number) => sleep(ms, undefined, { signal }).catch(() => {});
  const lock = leaderLock(producer);
  const unattributed = unattributedTopicsOf(producer);
  let leader: ReservedSql | undefined;

  const lead = async (): Promise<ReservedSql | undefined> => {
    const connection = await sql.reserve();
    const [row] = await connection<{ locked: boolean }[]>`
      select pg_try_advisory_lock(hashtextextended(${lock}, 0)) as locked`.catch(
      (error: unknown) => {
        connection.release();
        throw error;
      },
    );
    if (row?.locked) {
      logger.info('event relay: leading, publishing the outbox');
      return connection;
    }
    connection.release();
    return undefined;
  };

  /**
   * Gives the leader's connection back to the pool without its session lock: a pooled
   * connection that kept it would keep every other relay from leading until it closed. If the
   * unlock cannot run, the session is gone, and its locks with it.
   */
  const resign = async () => {
    const connection = leader;
    leader = undefined;
    if (!connection) return;
    await connection`select pg_advisory_unlock_all()`.catch(() => {});
    connection.release();
  };

  const stillLeading = async (connection: ReservedSql): Promise<boolean> => {
    const [row] = await connection<{ held: boolean }[]>`
      select exists (select 1 from pg_locks
                      where locktype = 'advisory' and pid = pg_backend_pid() and granted) as held`;
    return row?.held === true;
  };

  /** Publishes one batch; the number of events published. */
  const relayBatch = async (connection: ReservedSql): Promise<number> => {
    const rows = await connection<OutboxRow[]>`
      select id, event_id, topic, key, payload, schema_version, trace_context, created_at, producer
        from outbox
       where producer = ${producer} or (producer is null and topic = any(${unattributed}::text[]))
       order by id limit ${batchSize}`;
    const oldest = rows[0]?.created_at;
    metrics.relayLag.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
    if (rows.length === 0) return 0;
    await transport.publish(
      rows.map((row) => ({
        topic: row.topic,
        key: row.key,
        value: encodeEnvelope(envelopeOf(row, producer)),
      })),
    );
    await connection`delete from outbox where id = any(${rows.map((row) => row.id)}::bigint[])`;
    for (const row of rows) metrics.published.inc({ topic: row.topic });
    return rows.length;
  };

  const run = async () => {
    while (!signal.aborted) {
      try {
        leader ??= await lead();
        if (!leader) {
          await pause(leaderRetryMs);
          continue;
        }
        if (!(await stillLeading(leader))) throw new Error('the leader lock was lost');
        const published = await relayBatch(leader);
        if (published < batchSize) await pause(pollIntervalMs);
      } catch (error) {
        if (signal.aborted) break;
        logger.warn({ err: error }, 'event relay: batch failed; trying again');
        await resign();
        await pause(1_000);
      }
    }
  };
  const running = run();
  return {
    stop: async () => {
      controller.abort();
      await running;
      await resign();
    },
  };
}

function envelopeOf(row: OutboxRow, producer: string): EventEnvelope {
  return {
    id: row.event_id,
    topic: row.topic,
    key: row.key,
    schemaVersion: row.schema_version,
    occurredAt: row.created_at.toISOString(),
    producer: row.producer ?? producer,
    ...(row.trace_context?.traceparent ? { traceparent: row.trace_context.traceparent } : {}),
    ...(row.trace_context?.tracestate ? { tracestate: row.trace_context.tracestate } : {}),
    record: row.payload,
  };
}
