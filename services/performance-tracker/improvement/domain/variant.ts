/**
 * What a candidate variant changes in its parent agent: its prompt, its model class, or the
 * version of a strategy it follows.
 */
export const VARIANT_KINDS = ['prompt', 'model_class', 'strategy_version'] as const;
export type VariantKind = (typeof VARIANT_KINDS)[number];

/**
 * Where a variant's lineage (variant DERIVED_FROM parent) is kept: `recorded` in the knowledge
 * graph, `pending` until the DKG manager takes it, `local` when the variant has no agent of its
 * own in the graph (changed settings only): the tracker's row is its lineage.
 */
export type LineageStatus = 'recorded' | 'pending' | 'local';

/** How an evaluation ended: promoted (better with confidence), rejected (not), failed (error). */
export const FINISHED_OUTCOMES = ['promoted', 'rejected', 'failed'] as const;
export type EvaluationOutcome = (typeof FINISHED_OUTCOMES)[number];
export type EvaluationStatus = 'queued' | 'running' | EvaluationOutcome;

/** The agent one side of an evaluation runs as: an agent, or the parent with changed settings. */
export interface AgentUnderTest {
  readonly agentId: string;
  /** The variant's changed settings (prompt, model class, strategy version), when it has no agent of its own. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** A registered variant. */
export interface Variant {
  readonly id: string;
  readonly parentAgentId: string;
  readonly kind: VariantKind;
  readonly description: string;
  readonly skill: string;
  readonly variantAgentId: string | null;
  readonly settings: Readonly<Record<string, unknown>> | null;
  readonly lineageStatus: LineageStatus;
  readonly lineageError: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** The agent the variant side of an evaluation runs as. */
export const variantUnderTest = (variant: Variant): AgentUnderTest =>
  variant.variantAgentId !== null
    ? { agentId: variant.variantAgentId }
    : { agentId: variant.parentAgentId, settings: variant.settings ?? {} };
