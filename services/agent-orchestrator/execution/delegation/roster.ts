import type { Task } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import type { DkgManagerClient } from '../../../dkg-manager/client.js';
import { nameKey } from '../../../dkg-manager/domain/registries.js';
import type { Database } from '../../../platform/db.js';
import type { Agent } from '../../domain/agent.js';
import { findAgent, listAgents } from '../../repository/agent-store.js';
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

/** The DKG manager's ranking, as the roster asks it (the orchestrator's client of it). */
export type SkillRanking = Pick<DkgManagerClient, 'search' | 'rankAgents'>;

/**
 * Who `agent` may give parts of `task` to: its active reports, then for each skill tag the task
 * asks (`metadata.skills`) the active agents with that skill — ranked by the evidence of their
 * runs through the DKG manager's client when there is one (the tag names the skill found by a
 * search of the skills registry), else, or when the DKG manager cannot answer, the agents whose
 * card lists a skill so tagged — never itself; nobody when the task already sits `maxDepth`
 * delegations below its root. At most MAX_SUBTASKS.
 */
export async function delegatesFor(
  sql: Database,
  agent: Agent,
  task: Task,
  maxDepth: number,
  { dkg, logger }: { readonly dkg?: SkillRanking | undefined; readonly logger?: Logger } = {},
): Promise<Agent[]> {
  if (depthOf(task) >= maxDepth) return [];
  const { agents: reports } = await listAgents(sql, {
    managerId: agent.id,
    status: 'active',
    limit: MAX_SUBTASKS,
  });
  const found = new Map(reports.map((report) => [report.id, report]));
  const add = (candidate: Agent) => {
    if (candidate.id !== agent.id && candidate.status === 'active' && found.size < MAX_SUBTASKS)
      found.set(candidate.id, candidate);
  };
  for (const tag of skillsOf(task)) {
    const ranked = dkg && (await rankedBySkill(sql, dkg, tag, logger));
    if (ranked) {
      for (const candidate of ranked) add(candidate);
      continue;
    }
    const { agents } = await listAgents(sql, {
      skillTag: tag,
      status: 'active',
      limit: MAX_SUBTASKS,
    });
    for (const candidate of agents) add(candidate);
  }
  return [...found.values()];
}

/** Skills a tag's search looks through for the one named exactly so. */
const SKILL_CANDIDATES = 5;

/** Names compared as the DKG manager compares a registry's names. */
const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b);

/**
 * The agents of skill `tag` (the skill so named) best first by the DKG manager's ranking (its agents are this
 * orchestrator's, mirrored by id), or undefined when it knows no such skill or cannot answer.
 */
async function rankedBySkill(
  sql: Database,
  dkg: SkillRanking,
  tag: string,
  logger: Logger | undefined,
): Promise<Agent[] | undefined> {
  try {
    // The skill named exactly so (a word search also finds `Forecasting` for `forecast`).
    const found = await dkg.search(tag, { registry: 'skills', limit: SKILL_CANDIDATES });
    const skill = found.find((node) => node.name !== null && sameName(node.name, tag));
    if (!skill) return undefined;
    const ranking = await dkg.rankAgents(skill.id, { limit: MAX_SUBTASKS });
    // Nobody with the skill there yet (an agent not mirrored yet): the cards may know one.
    if (ranking.agents.length === 0) return undefined;
    const agents = await Promise.all(ranking.agents.map((row) => findAgent(sql, row.agent.id)));
    return agents.filter((candidate): candidate is Agent => candidate !== undefined);
  } catch (error) {
    logger?.warn(
      { err: error, skill: tag },
      'the DKG ranking did not answer: matching card skills',
    );
    return undefined;
  }
}
