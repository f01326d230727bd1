import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { nameBasedUuid } from '../../platform/name-based-uuid.js';
import type { RelationInput } from '../domain/entry-schemas.js';
import { nameKey } from '../domain/registries.js';
import { labelMismatch, RELATION_RULES, type RelationType } from '../domain/relations.js';
import type { GraphNode, GraphTx, Properties } from '../graph/graph-store.js';
import { relationChanged } from './dkg-change-events.js';
import type { DkgContext } from './dkg-context.js';
import { asDkgError, DkgRefusedError, unknownReference } from './dkg-refused.js';
import { graphWrite } from './idempotent-graph-write.js';

/** A relation as the API shows it. */
export interface Relation {
  readonly type: RelationType;
  readonly from_id: string;
  readonly to_id: string;
  readonly level: number | null;
}

const taskTypeNode = (name: string): GraphNode => ({
  label: 'TaskType',
  id: nameBasedUuid(`dkg-manager task type ${nameKey(name)}`),
  properties: { key: nameKey(name), name },
});

/** The node `to_id` or `to_task_type` names; checks the input's shape for the relation's rule. */
async function targetOf(tx: GraphTx, input: RelationInput): Promise<GraphNode> {
  const { to_id: toId, to_task_type: taskType } = input;
  if ((toId === undefined) === (taskType === undefined))
    throw new ValidationError([
      { field: 'to_id', reason: 'give exactly one of to_id and to_task_type' },
    ]);
  if (taskType !== undefined) {
    if (input.type !== 'APPLIES_TO')
      throw new ValidationError([{ field: 'to_task_type', reason: 'only for APPLIES_TO' }]);
    return (await tx.findByKey('TaskType', nameKey(taskType))) ?? taskTypeNode(taskType);
  }
  const node = await tx.findNode(toId as string);
  if (!node) throw unknownReference('to_id', toId as string);
  return node;
}

/**
 * Sets a relation (again: its level replaced), published as `relation_set` on aia.dkg.changes.v1
 * when it was not set so (keyed by the entry at its `from` end; `actor` is who asked). Refused,
 * changing and publishing nothing: an unknown end (422 naming from_id or to_id), ends of the
 * wrong kind (422), a level where the relation has none or none where it needs one (422), a
 * DERIVED_FROM or MANAGES that would close a cycle (409 lineage_cycle, hierarchy_cycle).
 */
export async function putRelation(
  context: DkgContext,
  input: RelationInput,
  actor?: string,
): Promise<Relation> {
  const rule = RELATION_RULES[input.type];
  return graphWrite(context, actor, async (tx) => {
    const from = await tx.findNode(input.from_id);
    if (!from) throw unknownReference('from_id', input.from_id);
    const to = await targetOf(tx, input);
    const issues = [
      { field: 'from_id', reason: labelMismatch(rule, 'from', from.label) },
      {
        field: input.to_task_type === undefined ? 'to_id' : 'to_task_type',
        reason: labelMismatch(rule, 'to', to.label),
      },
      {
        field: 'level',
        reason:
          rule.level && input.level === undefined
            ? `required for ${input.type}`
            : !rule.level && input.level !== undefined
              ? `only for HAS_SKILL, not ${input.type}`
              : undefined,
      },
    ].filter((issue): issue is { field: string; reason: string } => issue.reason !== undefined);
    if (issues.length > 0) throw new ValidationError(issues);
    if (rule.acyclic && (await tx.reaches(to.id, from.id, input.type)))
      throw new DkgRefusedError(
        rule.acyclic,
        `${to.id} already leads back to ${from.id} by ${input.type}: the relation would close a cycle`,
        'to_id',
      );
    if (to.label === 'TaskType') await tx.upsertNode(to);
    const properties: Properties = input.level === undefined ? {} : { level: input.level };
    // An existing relation keeps what else its edge carries (the evidence of runs on HAS_SKILL
    // and APPLIES_TO); only the relation's own level changes.
    const kept = await tx.setEdgeProperties(input.type, from.id, to.id, properties);
    if (!kept) await tx.putEdge({ type: input.type, from: from.id, to: to.id, properties });
    const relation: Relation = {
      type: input.type,
      from_id: from.id,
      to_id: to.id,
      level: input.level ?? null,
    };
    return { result: relation, changed: [relationChanged(from, input.type, to.id)] };
  }).catch((error: unknown) => {
    throw asDkgError(error, { from: 'from_id', to: 'to_id' });
  });
}

/**
 * Removes a relation, published as `relation_removed` on aia.dkg.changes.v1 (`actor` is who
 * asked); 404 when there is none. A removal whose event was lost after the graph committed
 * (Neo4j) is published by its retry, which answers 404.
 */
export async function deleteRelation(
  context: DkgContext,
  type: RelationType,
  from: string,
  to: string,
  actor?: string,
): Promise<void> {
  const { deleted } = await graphWrite(context, actor, async (tx) => {
    const deleted = await tx.deleteEdge(type, from, to);
    const fromNode = await tx.findNode(from);
    // Only a relation the rules allow can have been set, and so published.
    const couldExist =
      fromNode !== undefined &&
      RELATION_RULES[type].from.includes(fromNode.label) &&
      (await tx.findNode(to)) !== undefined;
    return {
      result: { deleted },
      changed: couldExist ? [relationChanged(fromNode, type, to)] : [],
    };
  });
  if (!deleted) throw new NotFoundError(`no ${type} relation from ${from} to ${to}`);
}
