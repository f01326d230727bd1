import type { Assistance } from '../domain/assistance.js';
import type {
  AssistanceInput,
  OpportunityInput,
  RunSummaryInput,
} from '../reports/report-input.js';
import { evidenceOf, opportunitiesOfRun } from '../repository/opportunity-store.js';
import { findRun } from '../repository/run-store.js';
import type { DiscoveryContext } from './discovery-context.js';

/**
 * Hands a scored run and its opportunities to the structured reports. A failure is logged, not
 * thrown: the run's opportunities stand without their reports.
 */
export async function publishRunReports(context: DiscoveryContext, runId: string): Promise<void> {
  if (!context.publishReports) return;
  try {
    const run = await findRun(context.sql, runId);
    if (!run) return;
    const opportunities = await opportunitiesOfRun(context.sql, runId);
    const inputs: OpportunityInput[] = [];
    for (const o of opportunities) {
      const evidence = await evidenceOf(context.sql, o.id);
      inputs.push({
        id: o.id,
        run_id: o.run_id,
        title: o.title,
        summary: o.summary,
        themes: o.themes,
        entities: o.entities,
        score: o.score,
        components: Object.entries(o.components).map(([name, c]) => ({
          name,
          value: c.value,
          weight: c.weight,
          contribution: c.contribution,
          explanation: c.explanation,
        })),
        evidence: evidence.map((s) => ({
          id: s.id,
          title: s.title,
          ...(s.url ? { url: s.url } : {}),
          published_at: s.published_at.toISOString(),
          source: s.source,
        })),
        ...(o.assistance ? { assistance: assistanceInput(o.assistance) } : {}),
        created_at: o.created_at.toISOString(),
      });
    }
    const failuresOf = (s: (typeof run.sources)[string]) => s.failures;
    const summary: RunSummaryInput = {
      id: run.id,
      started_at: (run.started_at ?? run.created_at).toISOString(),
      // Stable across attempts (reports are published before the run is marked finished, and
      // again by an attempt that takes a run over): the moment its opportunities were written.
      finished_at: (
        run.finished_at ??
        latest(opportunities.map((o) => o.created_at)) ??
        run.started_at ??
        run.created_at
      ).toISOString(),
      status: Object.values(run.sources).some((s) => failuresOf(s).length > 0)
        ? 'partial'
        : 'succeeded',
      sources: Object.entries(run.sources).map(([id, s]) => ({
        id,
        name: s.name,
        kind: s.kind,
        ...(s.url && s.kind !== 'sample' ? { url: s.url } : {}),
        fetched: s.fetched,
        accepted: s.accepted,
        failures: s.failures,
      })),
      weights: run.weights?.used ?? {},
      counts: { signals: run.accepted, clusters: run.clustered, opportunities: run.scored },
      opportunity_ids: opportunities.map((o) => o.id),
    };
    const outcome = await context.publishReports({ run: summary, opportunities: inputs });
    if (outcome.status === 'published')
      for (const failure of outcome.failures)
        context.logger?.warn({ run: runId, failure }, 'a report of the run was not published');
  } catch (error) {
    context.logger?.error({ err: error, run: runId }, 'reports of the run not published');
  }
}

/** What a model added, as the reports name it: each part with its `provider:model`. */
const assistanceInput = ({ summary, entities }: Assistance): AssistanceInput => ({
  ...(summary ? { summary: { text: summary.text, model: summary.model } } : {}),
  ...(entities
    ? { entities: { items: entities.items, themes: entities.themes, model: entities.model } }
    : {}),
});

/** The latest of `dates`, or undefined when there are none. */
const latest = (dates: readonly Date[]): Date | undefined =>
  dates.reduce<Date | undefined>((max, date) => (max && max >= date ? max : date), undefined);
