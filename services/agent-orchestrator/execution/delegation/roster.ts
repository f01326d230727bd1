import type { Task } from '@a2a-js/sdk';
import type { Database } from '../../../platform/db.js';
import type { Agent } from '../../domain/agent.js';
import { listAgents } from '../../repository/agent-store.js';
import { MAX_SUBTASKS } from './plan.js';

/** A task's place in its delegation tree: 0 for a task a sender sent, its parent's + 1 below. */
export const depthOf = (task: Task): number => {
  const depth = task.metadata?.depth;
  return typeof depth === 'number' ? depth : 0;
};

/** The skill tags a task's sender asked delegates for (`metadata.skills`). */
export const skillsOf = (task: Task): string[] => {
  const skills = task.metadata?.skills;
  return Array.isArray(skills) ? skills.filter((s): s is string => typeof s === 'string') : [];
};

/**
 * Who `agent` may give parts of `task` to: its active reports, and the active agents whose card
 * lists a skill tagged as the task asks (`metadata.skills`; the DKG manager's ranking will take
 * this over when it serves it), never itself; nobody when the task already sits
 * `maxDepth` delegations below its root.
 */
export async function delegatesFor(
  sql: Database,
  agent: Agent,
  task: Task,
  maxDepth: number,
): Promise<Agent[]> {
  if (depthOf(task) >= maxDepth) return [];
  const { agents: reports } = await listAgents(sql, {
    managerId: agent.id,
    status: 'active',
    limit: MAX_SUBTASKS,
  });
  const found = new Map(reports.map((report) => [report.id, report]));
  for (const tag of skillsOf(task)) {
    const { agents } = await listAgents(sql, {
      skillTag: tag,
      status: 'active',
      limit: MAX_SUBTASKS,
    });
    for (const candidate of agents)
      if (candidate.id !== agent.id && found.size < MAX_SUBTASKS)
        found.set(candidate.id, candidate);
  }
  return [...found.values()];
}
