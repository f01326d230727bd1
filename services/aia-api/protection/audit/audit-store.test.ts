import { Writable } from 'node:stream';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { useGatewayDatabase } from '../testing/gateway-database.js';
import { createAuditRecorder } from './audit-recorder.js';
import { appendAuditRecord, auditChainHead, auditRecordPages } from './audit-store.js';
import type { AuditEntry } from './chain.js';
import { verifyChain } from './verify-chain.js';

const database = useGatewayDatabase('audit_store');
/**
 * For the tests that write tens of records at once: their transactions queue on the chain's lock,
 * one after another, so their time grows with the machine's load: 0.4-1.8 s here at a load of 15
 * on 2 cores, yet this file saw two 20 s timeouts during a full run of the suite. A lock that is
 * never released still fails.
 */
const CONCURRENT_WRITES_TIMEOUT_MS = 60_000;
const silent = pino({}, new Writable({ write: (_chunk, _encoding, done) => done() }));

const entry = (actor: string, status = 201): AuditEntry => ({
  actor,
  action: 'POST /v1/ledger/*',
  target: '/v1/ledger/transfers',
  request_id: `req-${actor}`,
  details: { route_class: 'api' },
  occurred_at: new Date().toISOString(),
  outcome: { status, class: status < 400 ? 'success' : 'client_error' },
});

describe('the audit chain in PostgreSQL', () => {
  it(
    'appends concurrent writes as one chain without gaps, each with its event in the outbox',
    async () => {
      const { sql } = database;
      const written = await Promise.all(
        Array.from({ length: 40 }, (_, n) => appendAuditRecord(sql, entry(`user:${n}`))),
      );
      expect(new Set(written.map((record) => record.chain.seq)).size).toBe(40);
      const verdict = await verifyChain(auditRecordPages(sql, 7));
      expect(verdict).toMatchObject({ intact: true, count: 40 });
      const head = await auditChainHead(sql);
      expect(verdict.intact && verdict.head).toBe(head?.hash);
      const events = await sql<
        { key: string; payload: { chain: { seq: number; hash: string } } }[]
      >`
      select key, payload from outbox where topic = 'aia.audit.events.v1' and producer = 'aia-api'`;
      expect(events).toHaveLength(40);
      const byActor = new Map(written.map((record) => [record.actor, record.chain.hash]));
      for (const event of events) expect(event.payload.chain.hash).toBe(byActor.get(event.key));
    },
    CONCURRENT_WRITES_TIMEOUT_MS,
  );

  it('refuses to change, remove or truncate a record, whoever asks', async () => {
    const { sql } = database;
    await appendAuditRecord(sql, entry('user:kept'));
    const actorOfFirst = async () =>
      (await sql<{ actor: string }[]>`select actor from audit_records where seq = 1`)[0]?.actor;
    const before = await actorOfFirst();
    await expect(
      sql`update audit_records set actor = 'user:mallory' where seq = 1`,
    ).rejects.toThrow('audit_records is append-only: UPDATE refused');
    await expect(sql`delete from audit_records where seq = 1`).rejects.toThrow(
      'audit_records is append-only: DELETE refused',
    );
    await expect(sql`truncate audit_records`).rejects.toThrow('append-only: TRUNCATE refused');
    expect(await actorOfFirst()).toBe(before);
    expect(before).toMatch(/^user:\d+$/);
  });

  it('refuses a row that does not follow the head, from a writer that skipped the lock', async () => {
    const { sql } = database;
    const head = await auditChainHead(sql);
    const insert = (seq: number, prev: string) => sql`
      insert into audit_records (seq, prev_hash, hash, actor, action, outcome_status, outcome_class,
                                 details, occurred_at)
      values (${seq}, ${prev}, ${'a'.repeat(64)}, 'user:x', 'POST /v1', 201, 'success', '{}', now())`;
    await expect(insert((head?.seq ?? 0) + 2, head?.hash ?? '')).rejects.toThrow(
      `seq ${(head?.seq ?? 0) + 2} does not follow seq ${head?.seq}`,
    );
    await expect(insert((head?.seq ?? 0) + 1, 'b'.repeat(64))).rejects.toThrow('does not follow');
  });
});

const readLastActor = async (sql: typeof database.sql) =>
  (await sql<{ actor: string }[]>`select actor from audit_records order by seq desc limit 1`)[0]
    ?.actor;

describe('the audit recorder', () => {
  it('keeps records the database refused and writes them, in order, once it takes writes again', async () => {
    const { sql } = database;
    const registry = new Registry();
    const recorder = createAuditRecorder({ sql, logger: silent, registry });
    await sql`alter table audit_records rename to audit_records_away`;
    try {
      await recorder.record(entry('user:first-while-down'));
      await recorder.record(entry('user:second-while-down'));
      expect(recorder.pending()).toBe(2);
      await expect(recorder.worker.run(new AbortController().signal)).rejects.toThrow();
      expect(recorder.pending()).toBe(2);
    } finally {
      await sql`alter table audit_records_away rename to audit_records`;
    }
    expect(await recorder.worker.run(new AbortController().signal)).toBe('idle');
    expect(recorder.pending()).toBe(0);
    const last = await sql<{ actor: string }[]>`
      select actor from audit_records order by seq desc limit 2`;
    expect(last.map((row) => row.actor)).toEqual([
      'user:second-while-down',
      'user:first-while-down',
    ]);
    const metrics = await registry.metrics();
    // The first record's direct write and the worker's first attempt failed; the second record
    // queued behind the first without trying.
    expect(metrics).toContain('gateway_audit_write_failures_total 2');
    expect(metrics).toContain('gateway_audit_records_total{path="retried"} 2');
    expect(metrics).toContain('gateway_audit_pending 0');
    expect(await verifyChain(auditRecordPages(sql))).toMatchObject({ intact: true });
  });

  it(
    'writes calls answered at the same time together, in fewer transactions, the chain intact',
    async () => {
      const { sql } = database;
      const recorder = createAuditRecorder({ sql, logger: silent, registry: new Registry() });
      const before = (await auditChainHead(sql))?.seq ?? 0;
      await Promise.all(
        Array.from({ length: 50 }, (_, n) => recorder.record(entry(`user:batch-${n}`))),
      );
      const [written] = await sql<{ records: number; transactions: number }[]>`
      select count(*)::int as records, count(distinct xmin::text)::int as transactions
      from audit_records where seq > ${before}`;
      expect(written?.records).toBe(50);
      expect(written?.transactions).toBeLessThan(50);
      expect(await verifyChain(auditRecordPages(sql))).toMatchObject({ intact: true });
    },
    CONCURRENT_WRITES_TIMEOUT_MS,
  );

  it('lets the answer go after maxWaitMs while the database is slow, and still writes the record', async () => {
    const { sql } = database;
    const recorder = createAuditRecorder({
      sql,
      logger: silent,
      registry: new Registry(),
      maxWaitMs: 200,
    });
    const before = (await auditChainHead(sql))?.seq ?? 0;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Another session holds the chain's lock: the append waits behind it.
    const holder = sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtextextended('aia:audit:chain', 0))`;
      await released;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await recorder.record(entry('user:slow-database'));
    const waitedMs = performance.now() - started;
    expect(waitedMs).toBeGreaterThanOrEqual(190);
    expect(waitedMs).toBeLessThan(1_000);
    expect((await auditChainHead(sql))?.seq ?? 0).toBe(before);
    release();
    await holder;
    await expect
      .poll(async () => (await readLastActor(sql)) ?? '', { timeout: 5_000 })
      .toBe('user:slow-database');
  });

  it('drops, logs and counts a record when the retry queue is full', async () => {
    const { sql } = database;
    const registry = new Registry();
    const recorder = createAuditRecorder({ sql, logger: silent, registry, maxPending: 1 });
    await sql`alter table audit_records rename to audit_records_away`;
    try {
      await recorder.record(entry('user:kept-in-queue'));
      await recorder.record(entry('user:dropped'));
    } finally {
      await sql`alter table audit_records_away rename to audit_records`;
    }
    expect(recorder.pending()).toBe(1);
    expect(await registry.metrics()).toContain('gateway_audit_dropped_total 1');
  });
});
