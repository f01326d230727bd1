import { redactUrl } from '../domain/redact-url.js';
import { COMPONENTS } from '../domain/weights.js';
import type { OpportunityRow } from '../repository/opportunity-store.js';
import type { RunRow } from '../repository/run-store.js';
import type { SourceRow } from '../repository/source-store.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const sourceView = (s: SourceRow) => ({
  id: s.id,
  name: s.name,
  kind: s.kind,
  url: redactUrl(s.url),
  mapping: s.mapping as Record<string, string>,
  interval_seconds: s.interval_seconds,
  max_bytes: s.max_bytes,
  timeout_ms: s.timeout_ms,
  min_interval_seconds: s.min_interval_seconds,
  enabled: s.enabled,
  last_fetched_at: iso(s.last_fetched_at),
  last_attempted_at: iso(s.last_attempted_at),
  consecutive_failures: s.consecutive_failures,
  created_at: s.created_at.toISOString(),
});

/** A run with its progress, each source's outcome and the weights it scored with. */
export const runView = (r: RunRow) => ({
  id: r.id,
  trigger: r.trigger,
  state: r.state,
  step: r.step,
  attempts: r.attempts,
  progress: {
    fetched: r.fetched,
    accepted: r.accepted,
    clustered: r.clustered,
    scored: r.scored,
    published: r.published,
  },
  sources: Object.entries(r.sources).map(([id, s]) => ({
    id,
    name: s.name,
    kind: s.kind,
    fetched: s.fetched,
    accepted: s.accepted,
    unchanged: s.unchanged === true,
    failures: [...s.failures],
  })),
  weights: r.weights
    ? { used: r.weights.used, configured: r.weights.configured, changes: r.weight_changes ?? {} }
    : null,
  error: r.error,
  created_at: r.created_at.toISOString(),
  started_at: iso(r.started_at),
  finished_at: iso(r.finished_at),
});

export const opportunitySummaryView = (o: OpportunityRow) => ({
  id: o.id,
  run_id: o.run_id,
  title: o.title,
  summary: o.summary,
  themes: o.themes,
  score: o.score,
  components: Object.fromEntries(COMPONENTS.map((c) => [c, o.components[c].value])),
  status: o.status,
  published: o.published,
  created_at: o.created_at.toISOString(),
  updated_at: o.updated_at.toISOString(),
});

/** An opportunity with its score breakdown (value, weight, contribution, why) and its evidence. */
export const opportunityView = (
  o: OpportunityRow,
  evidence: readonly {
    id: string;
    title: string;
    url: string | null;
    published_at: Date;
    source: string;
    source_id: string;
  }[],
) => ({
  ...opportunitySummaryView(o),
  entities: o.entities,
  // What a model added (DISCOVERY_LLM_ASSIST), each part naming its model; scores are not among them.
  assistance: {
    summary: o.assistance?.summary ?? null,
    entities: o.assistance?.entities ?? null,
  },
  breakdown: COMPONENTS.map((name) => {
    const c = o.components[name];
    return {
      name,
      value: c.value,
      weight: c.weight,
      contribution: c.contribution,
      explanation: c.explanation,
      neutral: c.neutral === true,
    };
  }),
  evidence: evidence.map((s) => ({
    id: s.id,
    title: s.title,
    url: redactUrl(s.url),
    published_at: s.published_at.toISOString(),
    source: { id: s.source_id, name: s.source },
  })),
});
