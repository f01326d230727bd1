/**
 * The hierarchy's rules, pure: an agent has at most one manager, which is active; no agent is its
 * own ancestor; and no agent sits deeper than the delegation depth. The root of a tree is at
 * depth 0 and each report one deeper, so a depth limit of 4 allows four delegations in a row
 * (five levels).
 */

/** Why a place in the hierarchy is refused, in order of precedence. */
export type HierarchyRefusalCode = 'manager_retired' | 'hierarchy_cycle' | 'delegation_too_deep';

export interface HierarchyRefusal {
  readonly code: HierarchyRefusalCode;
  readonly field: 'manager_id';
  readonly reason: string;
}

/** An agent on the path from a root down to the proposed manager. */
export interface PathEntry {
  readonly id: string;
  readonly status: 'active' | 'retired';
}

export interface Placement {
  /** The agent being placed; undefined for one not registered yet (it has no reports). */
  readonly agentId?: string;
  /** From the root down to the proposed manager, inclusive; empty for a root agent. */
  readonly managerPath: readonly PathEntry[];
  /** Levels below the agent: 0 for an agent without reports. */
  readonly subtreeHeight: number;
  readonly maxDepth: number;
}

/** Whether the agent may sit under the last agent of `managerPath`; undefined when it may. */
export function refusePlacement({
  agentId,
  managerPath,
  subtreeHeight,
  maxDepth,
}: Placement): HierarchyRefusal | undefined {
  const manager = managerPath.at(-1);
  if (!manager) return undefined;
  if (manager.status !== 'active')
    return {
      code: 'manager_retired',
      field: 'manager_id',
      reason: `agent ${manager.id} is retired and cannot be a manager`,
    };
  if (agentId !== undefined && managerPath.some((entry) => entry.id === agentId))
    return {
      code: 'hierarchy_cycle',
      field: 'manager_id',
      reason:
        manager.id === agentId
          ? 'an agent cannot be its own manager'
          : `agent ${manager.id} reports to ${agentId} already: the move would make a cycle`,
    };
  // The manager is at depth managerPath.length - 1; the agent one below; its subtree below it.
  const deepest = managerPath.length + subtreeHeight;
  if (deepest > maxDepth)
    return {
      code: 'delegation_too_deep',
      field: 'manager_id',
      reason: `the hierarchy would reach depth ${deepest}; at most ${maxDepth} (MAX_DELEGATION_DEPTH) is allowed`,
    };
  return undefined;
}

/** Whether an agent may retire: not while an active agent reports to it. */
export function refuseRetirement(
  agentId: string,
  activeReports: number,
): { readonly code: 'has_active_reports'; readonly reason: string } | undefined {
  return activeReports > 0
    ? {
        code: 'has_active_reports',
        reason: `agent ${agentId} has ${activeReports} active report(s): move or retire them first`,
      }
    : undefined;
}
