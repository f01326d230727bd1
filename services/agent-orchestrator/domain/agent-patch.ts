import { fieldIssuesFromZod } from '../../platform/zod-issues.js';
import type { AgentLimits, AgentRuntime } from './agent.js';
import { RUNTIME_VARIANTS, type RuntimePatch } from './agent-schemas.js';

/** A field a change cannot have, and why. */
export interface PatchIssue {
  readonly field: string;
  readonly reason: string;
}

/**
 * The runtime after `patch`: merged into `stored` when it keeps the kind (fields left out keep
 * their values), else the new kind's runtime from the patch alone (with that kind's defaults),
 * since another kind's fields mean nothing to it. A field the resulting kind does not take, or a
 * required one missing, is an issue naming `runtime.<field>`.
 */
export function patchRuntime(
  stored: AgentRuntime,
  patch: RuntimePatch,
): { runtime: AgentRuntime } | { issues: PatchIssue[] } {
  const kind = patch.kind ?? stored.kind;
  const variant = RUNTIME_VARIANTS[kind];
  const foreign = Object.keys(patch).filter((field) => !(field in variant.shape));
  if (foreign.length > 0)
    return {
      issues: foreign.map((field) => ({
        field: `runtime.${field}`,
        reason: `is not a field of a ${kind} runtime`,
      })),
    };
  const merged = kind === stored.kind ? { ...stored, ...patch } : { ...patch, kind };
  const parsed = variant.safeParse(merged);
  if (parsed.success) return { runtime: parsed.data };
  return {
    issues: fieldIssuesFromZod(parsed.error).map(({ field, reason }) => ({
      field: `runtime.${field}`,
      reason,
    })),
  };
}

/** The limits after `patch`: fields left out keep their stored values. */
export const patchLimits = (stored: AgentLimits, patch: Partial<AgentLimits>): AgentLimits => ({
  ...stored,
  ...patch,
});
