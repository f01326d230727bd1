import type { JSONValue } from 'postgres';
import type { Database } from '../../platform/db.js';
import type { Assistance } from '../domain/assistance.js';
import type { Entity } from '../domain/terms.js';
import type { Component } from '../domain/weights.js';

/** An opportunity as stored (`discovery_opportunities`). */
export interface OpportunityRow {
  readonly id: string;
  /** The run that last scored it: its score, breakdown and evidence are that run's. */
  readonly run_id: string;
  readonly theme_key: string;
  readonly title: string;
  readonly summary: string;
  readonly themes: string[];
  readonly entities: Entity[];
  readonly score: number;
  readonly components: Record<
    Component,
    { value: number; weight: number; contribution: number; explanation: string; neutral?: boolean }
  >;
  readonly status: 'open' | 'accepted' | 'rejected';
  readonly published: boolean;
  /** What a model added (LLM assistance), each part with its model; null without. */
  readonly assistance: Assistance | null;
  /** When a run first found its theme. */
  readonly created_at: Date;
  /** When a run last scored it (the run `run_id` names). */
  readonly updated_at: Date;
}

export type NewOpportunity = Omit<OpportunityRow, 'status' | 'created_at' | 'updated_at'> & {
  readonly signalIds: readonly string[];
};

/** Serialises the runs' opportunity writes (two runs must not both find a theme new). */
export async function lockOpportunityWrites(tx: Database): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtext('venture-discovery:opportunities'))`;
}

/** The opportunity of a theme (what a run needs before scoring it again), if any run found it. */
export async function opportunityOfTheme(
  tx: Database,
  themeKey: string,
): Promise<Pick<OpportunityRow, 'id' | 'published' | 'status'> | undefined> {
  const [row] = await tx<Pick<OpportunityRow, 'id' | 'published' | 'status'>[]>`
    select id, published, status from discovery_opportunities where theme_key = ${themeKey}`;
  return row;
}

/**
 * Writes a theme's opportunity in `tx` (the run's last transaction): a new row, or the theme's
 * existing one updated with this run's score, breakdown, summary and evidence (its status, its
 * `published` once true, and its `created_at` stay). Keeps the run's score in its history.
 * Answers the opportunity's id.
 */
export async function saveOpportunity(tx: Database, o: NewOpportunity): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into discovery_opportunities
      (id, run_id, theme_key, title, summary, themes, entities, score, components,
       signal_strength, growth, novelty, competition_density, capability_fit, confidence, published,
       assistance)
    values (${o.id}, ${o.run_id}, ${o.theme_key}, ${o.title}, ${o.summary}, ${o.themes},
            ${tx.json(o.entities as unknown as JSONValue)}, ${o.score},
            ${tx.json(o.components as unknown as JSONValue)},
            ${o.components.signal_strength.value}, ${o.components.growth.value},
            ${o.components.novelty.value}, ${o.components.competition_density.value},
            ${o.components.capability_fit.value}, ${o.components.confidence.value}, ${o.published},
            ${o.assistance === null ? null : tx.json(o.assistance as unknown as JSONValue)})
    on conflict (theme_key) do update set
      run_id = excluded.run_id, title = excluded.title, summary = excluded.summary,
      themes = excluded.themes, entities = excluded.entities, score = excluded.score,
      components = excluded.components, signal_strength = excluded.signal_strength,
      growth = excluded.growth, novelty = excluded.novelty,
      competition_density = excluded.competition_density,
      capability_fit = excluded.capability_fit, confidence = excluded.confidence,
      published = discovery_opportunities.published or excluded.published,
      assistance = excluded.assistance, updated_at = now()
    returning id`;
  if (!row) throw new Error(`opportunity of theme ${o.theme_key} not written`);
  await tx`delete from discovery_evidence where opportunity_id = ${row.id}`;
  const evidence = o.signalIds.map((signal_id) => ({ opportunity_id: row.id, signal_id }));
  if (evidence.length > 0) await tx`insert into discovery_evidence ${tx(evidence)}`;
  await tx`
    insert into discovery_opportunity_scores (opportunity_id, run_id, score, components)
    values (${row.id}, ${o.run_id}, ${o.score}, ${tx.json(o.components as unknown as JSONValue)})
    on conflict (opportunity_id, run_id) do nothing`;
  return row.id;
}

/** Theme terms of the latest opportunities last scored by runs other than `runId`: what novelty compares with. */
export async function previousThemes(
  sql: Database,
  runId: string,
  limit = 500,
): Promise<string[][]> {
  const rows = await sql<{ themes: string[] }[]>`
    select themes from discovery_opportunities
     where run_id <> ${runId}
     order by updated_at desc limit ${limit}`;
  return rows.map((r) => r.themes);
}

/** Columns an opportunity list may be sorted by. */
export const SORT_COLUMNS = [
  'score',
  'signal_strength',
  'growth',
  'novelty',
  'competition_density',
  'capability_fit',
  'confidence',
  'created_at',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface OpportunityFilter {
  readonly minScore?: number;
  /** Every named component at least this value. */
  readonly minComponents?: Partial<Record<Component, number>>;
  /** Opportunities this run scored (it or a later run may have scored them last). */
  readonly runId?: string;
  readonly status?: OpportunityRow['status'];
  readonly sort: SortColumn;
  readonly limit: number;
  /** The sort value and id of the last row of the previous page. */
  readonly after?: { readonly value: string; readonly id: string };
}

/** One page of opportunities, best first by `sort` (then id). */
export async function listOpportunities(
  sql: Database,
  f: OpportunityFilter,
): Promise<(OpportunityRow & { sort_value: string })[]> {
  const column = sql(f.sort);
  const conditions = [sql`true`];
  if (f.minScore !== undefined) conditions.push(sql`score >= ${f.minScore}`);
  for (const [component, min] of Object.entries(f.minComponents ?? {}))
    conditions.push(sql`${sql(component)} >= ${min as number}`);
  if (f.runId !== undefined)
    conditions.push(sql`exists (select 1 from discovery_opportunity_scores h
                                 where h.opportunity_id = discovery_opportunities.id
                                   and h.run_id = ${f.runId})`);
  if (f.status !== undefined) conditions.push(sql`status = ${f.status}`);
  if (f.after !== undefined) {
    const typed =
      f.sort === 'created_at'
        ? sql`${f.after.value}::timestamptz`
        : sql`${f.after.value}::double precision`;
    conditions.push(sql`(${column}, id) < (${typed}, ${f.after.id}::uuid)`);
  }
  const where = conditions.reduce((all, c) => sql`${all} and ${c}`);
  return sql<(OpportunityRow & { sort_value: string })[]>`
    select *, ${f.sort === 'created_at' ? sql`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : sql`${column}::text`} as sort_value
      from discovery_opportunities
     where ${where}
     order by ${column} desc, id desc
     limit ${f.limit}`;
}

export async function findOpportunity(
  sql: Database,
  id: string,
): Promise<OpportunityRow | undefined> {
  const [row] = await sql<OpportunityRow[]>`select * from discovery_opportunities where id = ${id}`;
  return row;
}

/** The signals behind an opportunity, newest first, with their source's name. */
export async function evidenceOf(sql: Database, id: string) {
  return sql<
    {
      id: string;
      title: string;
      url: string | null;
      published_at: Date;
      source: string;
      source_id: string;
    }[]
  >`
    select s.id, s.title, s.url, s.published_at, src.name as source, src.id as source_id
      from discovery_evidence e
      join discovery_signals s on s.id = e.signal_id
      join discovery_sources src on src.id = s.source_id
     where e.opportunity_id = ${id}
     order by s.published_at desc, s.id`;
}

/** Sets the status a verdict gives it. */
export async function setStatus(
  tx: Database,
  id: string,
  status: OpportunityRow['status'],
): Promise<void> {
  await tx`update discovery_opportunities set status = ${status} where id = ${id}`;
}

/** Every opportunity of a run, best first. */
export async function opportunitiesOfRun(sql: Database, runId: string): Promise<OpportunityRow[]> {
  return sql<OpportunityRow[]>`
    select * from discovery_opportunities where run_id = ${runId} order by score desc, id`;
}
