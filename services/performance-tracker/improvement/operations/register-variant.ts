import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../../platform/errors.js';
import { skillKey } from '../../domain/scope.js';
import type { LineageStatus, Variant, VariantKind } from '../domain/variant.js';
import type { LineageRecorder } from '../lineage/lineage-recorder.js';
import { insertVariant } from '../repository/variant-store.js';
import type { ImprovementContext } from './improvement-context.js';
import { unknownAgentIssues } from './known-agents.js';

/** A variant as its registration describes it. */
export interface VariantInput {
  readonly kind: VariantKind;
  readonly description: string;
  readonly skill: string;
  readonly variantAgentId?: string;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Why a lineage could not be recorded, in a sentence. */
export const lineageErrorOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Where a new variant's lineage stands after trying to record it in the knowledge graph. */
export async function recordLineage(
  lineage: LineageRecorder | undefined,
  parentAgentId: string,
  variantAgentId: string | undefined,
): Promise<{ status: LineageStatus; error: string | null }> {
  if (variantAgentId === undefined) return { status: 'local', error: null };
  if (!lineage) return { status: 'pending', error: 'the DKG manager is not configured' };
  try {
    await lineage.record({ variantAgentId, parentAgentId });
    return { status: 'recorded', error: null };
  } catch (error) {
    return { status: 'pending', error: lineageErrorOf(error) };
  }
}

/**
 * Registers a candidate variant of agent `parentAgentId`: an agent of its own, or the parent
 * with changed settings (exactly one), judged in `skill`, which must have a benchmark set. Both
 * agents must be known to the agent orchestrator (422 naming `id` or `variant_agent_id`; 503
 * when it cannot be asked). Its lineage goes to the knowledge graph when it can (else pending,
 * tried again by the evaluation worker); a settings-only variant's lineage is its row here.
 */
export async function registerVariant(
  {
    sql,
    benchmarks,
    agents,
    lineage,
  }: Pick<ImprovementContext, 'sql' | 'benchmarks' | 'agents' | 'lineage'>,
  parentAgentId: string,
  input: VariantInput,
  createdBy: string,
): Promise<Variant> {
  const skill = skillKey(input.skill) ?? '';
  const issues = [
    benchmarks.has(skill)
      ? undefined
      : {
          field: 'skill',
          reason: `has no benchmark set; known: ${[...benchmarks.keys()].sort().join(', ')}`,
        },
    (input.variantAgentId === undefined) === (input.settings === undefined)
      ? { field: 'variant_agent_id', reason: 'give exactly one of variant_agent_id and settings' }
      : undefined,
    input.variantAgentId === parentAgentId
      ? { field: 'variant_agent_id', reason: 'must not be the parent agent itself' }
      : undefined,
  ].filter((issue) => issue !== undefined);
  if (issues.length > 0) throw new ValidationError(issues);
  const unknown = await unknownAgentIssues(agents, [
    { field: 'id', agentId: parentAgentId },
    { field: 'variant_agent_id', agentId: input.variantAgentId },
  ]);
  if (unknown.length > 0) throw new ValidationError(unknown);
  const { status, error } = await recordLineage(lineage, parentAgentId, input.variantAgentId);
  return insertVariant(sql, {
    id: randomUUID(),
    parentAgentId,
    kind: input.kind,
    description: input.description,
    skill,
    variantAgentId: input.variantAgentId ?? null,
    settings: input.settings ?? null,
    lineageStatus: status,
    lineageError: error,
    createdBy,
  });
}
