import type { Database } from '../../platform/db.js';
import type { EvidenceKind } from '../domain/evidence.js';
import { nameKey } from '../domain/registries.js';
import type { EdgeType } from '../graph/graph-schema.js';
import type { GraphTx } from '../graph/graph-store.js';
import { findVersion } from '../repository/entry-nodes.js';
import { evidenceProperties } from '../repository/evidence-edges.js';
import { markCopied, targetsOf, totalsByNode } from '../repository/evidence-store.js';
import { cardSkillsOf } from '../repository/mirrored-agents.js';
import type { GraphBeside } from './graph-in-transaction.js';

/** Which edge carries each kind of evidence, and how a target finds the node at its far end. */
interface EvidenceEdge {
  readonly type: EdgeType;
  /** The node id each target stands for, among the edges the subject has now. */
  resolve(
    graph: GraphTx,
    subjectId: string,
    targets: readonly string[],
  ): Promise<Map<string, string>>;
}

/**
 * An agent's evidence goes on its HAS_SKILL edges. The target is the skill the run named (its
 * normalised text): a skill of the agent's card by id or by name stands for the Skill entry of
 * that card skill's name; any other text for the Skill entry of that name.
 */
const AGENT_SKILL: EvidenceEdge = {
  type: 'HAS_SKILL',
  async resolve(graph, agentId, targets) {
    const agent = await graph.getNode('Agent', agentId);
    if (!agent) return new Map();
    const version = await findVersion(graph, agentId, Number(agent.properties.current_version));
    const card = cardSkillsOf(version?.spec ?? {});
    const skills = await graph.neighbours(agentId, { direction: 'out', types: ['HAS_SKILL'] });
    const skillByKey = new Map(skills.map(({ node }) => [String(node.properties.key), node.id]));
    const resolved = new Map<string, string>();
    for (const target of targets) {
      const cardSkill = card.find((s) => nameKey(s.id) === target || nameKey(s.name) === target);
      const skillId = skillByKey.get(cardSkill ? nameKey(cardSkill.name) : target);
      if (skillId) resolved.set(target, skillId);
    }
    return resolved;
  },
};

/** A strategy's evidence goes on its APPLIES_TO edge to the task type of the target's name. */
const STRATEGY_TASK_TYPE: EvidenceEdge = {
  type: 'APPLIES_TO',
  async resolve(graph, strategyId, targets) {
    const applies = await graph.neighbours(strategyId, { direction: 'out', types: ['APPLIES_TO'] });
    const taskTypes = new Map(
      applies
        .filter(({ node }) => node.label === 'TaskType')
        .map(({ node }) => [String(node.properties.key), node.id]),
    );
    return new Map(
      targets.flatMap((target) => {
        const id = taskTypes.get(target);
        return id ? [[target, id] as const] : [];
      }),
    );
  },
};

const EDGES: Readonly<Record<EvidenceKind, EvidenceEdge>> = {
  agent_skill: AGENT_SKILL,
  strategy_task_type: STRATEGY_TASK_TYPE,
};

/**
 * Copies a subject's evidence totals (PostgreSQL, read in `tx`) onto the graph's edges they
 * belong to, as a whole SET (copying again changes nothing), and records in `tx` which targets
 * the graph now has. Targets without an edge yet (no such agent, skill, strategy, task type or
 * relation) stay marked not copied: the mirror copies an agent's evidence whenever it sets the
 * agent's skills, and the copy worker tries every waiting subject again. Hold the subject's lock
 * (`lockEvidenceOf`). Returns how many edges were set.
 */
export async function copyEvidence(
  graph: GraphBeside,
  tx: Database,
  kind: EvidenceKind,
  subjectId: string,
): Promise<number> {
  const edge = EDGES[kind];
  const targets = await targetsOf(tx, kind, subjectId);
  if (targets.length === 0) return 0;
  const nodeOfTarget = await graph.read((g) => edge.resolve(g, subjectId, targets));
  const totals = await totalsByNode(tx, kind, subjectId, nodeOfTarget);
  const copiedAt = new Date().toISOString();
  const setOn = await graph.write(async (g) => {
    const set = new Set<string>();
    for (const [nodeId, nodeTotals] of totals)
      if (
        await g.setEdgeProperties(
          edge.type,
          subjectId,
          nodeId,
          evidenceProperties(nodeTotals, copiedAt),
        )
      )
        set.add(nodeId);
    return set;
  });
  const copied = targets.filter((target) => setOn.has(nodeOfTarget.get(target) ?? ''));
  await markCopied(tx, kind, subjectId, copied);
  return setOn.size;
}
