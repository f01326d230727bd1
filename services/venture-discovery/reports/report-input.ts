/**
 * What the reports are built from: a discovery run's summary and its scored opportunities. The
 * pipeline maps its rows to these shapes and hands them to `publishReports`; nothing here knows
 * about SQL or HTTP. Times are ISO 8601 strings with an offset (`2026-12-03T12:00:00.000Z`),
 * scores and weights plain numbers (they are ratios, not money).
 */

/** Why one source failed in a run (the run goes on without it). */
export interface SourceFailureInput {
  /** snake_case, e.g. `fetch_timeout`, `invalid_xml`, `too_large`. */
  readonly code: string;
  readonly message: string;
  readonly at?: string;
}

/** One source as a run saw it. */
export interface RunSourceInput {
  readonly id: string;
  readonly name: string;
  /** `rss`, `atom`, `json`, `csv`, `events`, ... */
  readonly kind: string;
  /** Where it was fetched from; absent for uploads and the platform's events. */
  readonly url?: string;
  /** Signals read from the source in this run. */
  readonly fetched: number;
  /** Signals kept after normalising and removing near-duplicates. */
  readonly accepted: number;
  readonly failures: readonly SourceFailureInput[];
}

/** A finished (or failed) discovery run. */
export interface RunSummaryInput {
  readonly id: string;
  readonly started_at: string;
  readonly finished_at: string;
  /** `succeeded`, `failed`, `partial` (some sources failed), ... */
  readonly status: string;
  readonly sources: readonly RunSourceInput[];
  /** The component weights the run scored with, by component name. */
  readonly weights: Readonly<Record<string, number>>;
  readonly counts: {
    readonly signals: number;
    readonly clusters: number;
    readonly opportunities: number;
  };
  /** The opportunities the run produced (each gets its own report). */
  readonly opportunity_ids: readonly string[];
}

/** One component of an opportunity's score: `contribution` is `value × weight`. */
export interface ScoreComponentInput {
  /** `signal_strength`, `growth`, `novelty`, `competition_density`, `capability_fit`, `confidence`, ... */
  readonly name: string;
  /** The component's value, 0 to 1. */
  readonly value: number;
  readonly weight: number;
  readonly contribution: number;
  /** Why it has this value, in a sentence, if the scorer says. */
  readonly explanation?: string;
}

/** A signal behind an opportunity. */
export interface EvidenceSignalInput {
  readonly id: string;
  readonly title: string;
  /** The item's own link, when it has one (http or https only: others are not linked). */
  readonly url?: string;
  readonly published_at?: string;
  /** The name of the source it came from. */
  readonly source: string;
}

/** A named entity found in an opportunity's signals. */
export interface EntityInput {
  readonly name: string;
  /** `organization`, `product`, `technology`, `place`, ... (organizations become schema:Organization). */
  readonly kind: string;
}

/**
 * What a language model added to an opportunity (optional LLM assistance), each part with the
 * model that wrote it (`provider:model`). Never part of the score.
 */
export interface AssistanceInput {
  readonly summary?: { readonly text: string; readonly model: string };
  readonly entities?: {
    readonly items: readonly EntityInput[];
    readonly themes: readonly string[];
    readonly model: string;
  };
}

/** A scored opportunity with its evidence. */
export interface OpportunityInput {
  readonly id: string;
  readonly run_id: string;
  readonly title: string;
  readonly summary?: string;
  readonly themes: readonly string[];
  readonly entities: readonly EntityInput[];
  /** The total score, the sum of the components' contributions. */
  readonly score: number;
  readonly components: readonly ScoreComponentInput[];
  readonly evidence: readonly EvidenceSignalInput[];
  /** What a model added, when one was asked and answered usefully. */
  readonly assistance?: AssistanceInput;
  readonly created_at: string;
}
