import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db.js';
import type { NormalisedSignal, Signal } from '../domain/signal.js';

/** Keeps a source's new signals; a fingerprint the source gave before is skipped. Returns how many were new. */
export async function insertSignals(
  sql: Database,
  sourceId: string,
  signals: readonly NormalisedSignal[],
): Promise<number> {
  if (signals.length === 0) return 0;
  const rows = signals.map((s) => ({
    id: randomUUID(),
    source_id: sourceId,
    fingerprint: s.fingerprint,
    title: s.title,
    body: s.body,
    url: s.url ?? null,
    published_at: s.publishedAt,
  }));
  let added = 0;
  // In slices: one statement's parameters are limited (65,535).
  for (let i = 0; i < rows.length; i += 1_000) {
    const inserted = await sql`
      insert into discovery_signals ${sql(rows.slice(i, i + 1_000))}
      on conflict (source_id, fingerprint) do nothing
      returning id`;
    added += inserted.length;
  }
  return added;
}

/** The signals published since `since`, with their source's name, oldest first. */
export async function signalsSince(sql: Database, since: Date, limit: number): Promise<Signal[]> {
  const rows = await sql<
    {
      id: string;
      source_id: string;
      source_name: string;
      title: string;
      body: string;
      url: string | null;
      published_at: Date;
    }[]
  >`
    select s.id, s.source_id, src.name as source_name, s.title, s.body, s.url, s.published_at
      from discovery_signals s join discovery_sources src on src.id = s.source_id
     where s.published_at >= ${since}
     order by s.published_at desc, s.id
     limit ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name,
    title: r.title,
    body: r.body,
    url: r.url ?? undefined,
    publishedAt: r.published_at,
  }));
}
