import { cursorAfter } from '../../services/dkg-manager/domain/ranking.js';
import { nameKey } from '../../services/dkg-manager/domain/registries.js';
import { RELATION_TYPES } from '../../services/dkg-manager/domain/relations.js';
import type { EdgeType, NodeLabel } from '../../services/dkg-manager/graph/graph-schema.js';
import type {
  GraphEdge,
  GraphNode,
  Properties,
} from '../../services/dkg-manager/graph/graph-store.js';
import type { Database } from '../../services/platform/db.js';
import { WILSON_Z_95 } from '../../services/platform/wilson-bound.js';
import type { GraphQueries } from './graph-queries.js';

const TYPES: readonly string[] = RELATION_TYPES;

interface RankRow {
  skill_name: string;
  id: string;
  name: string;
  status: string;
  level: number | null;
  runs: number;
  successes: number;
  failures: number;
  mean_cost: string | null;
  bound: number;
  mean_quality: number | null;
  mean_latency_ms: number | null;
  max_latency_ms: number | null;
}
/** A node row or an edge row of one result: `kind` says which columns mean what. */
interface SubgraphRow {
  kind: 'node' | 'edge';
  id: string;
  label: string;
  to_id: string | null;
  properties: Properties;
}
interface PathRow {
  id: string;
  label: NodeLabel;
  properties: Properties;
  edge_type: EdgeType | null;
  edge_from: string | null;
  edge_to: string | null;
  edge_properties: Properties | null;
}

/**
 * The benchmark's queries as one might write them by hand against `graph_nodes` and
 * `graph_edges`: one statement each, run outside a transaction, with the answers of
 * `adapterQueries` (same rows, same order, same path among equally short ones), so the ratio
 * between the two is what the adapter costs.
 */
export function directQueries(sql: Database): GraphQueries {
  const types = [...TYPES];
  return {
    async rankAgents(skillId, limit) {
      // What agentsForSkill computes, in SQL: the Wilson lower bound in wilsonLowerBound's order
      // of operations (the same floats), the same order (names compared as the C collation does,
      // by code unit for the generated names), one row more than the page to know if one follows.
      const rows = await sql<RankRow[]>`
        select s.properties ->> 'name' as skill_name, n.id,
               coalesce(n.properties ->> 'name', '') as name,
               coalesce(nullif(n.properties ->> 'status', ''), 'active') as status,
               r.level, r.runs, r.successes, r.failures, r.mean_cost,
               case when r.runs > 0 then greatest(0, (w.p + w.z2 / (2 * r.runs)
                 - ${WILSON_Z_95}::float8 * sqrt((w.p * (1 - w.p)) / r.runs + w.z2 / (4 * r.runs * r.runs)))
                 / (1 + w.z2 / r.runs)) else 0 end as bound,
               case when r.runs > 0 and r.quality_count > 0 then r.quality_sum / r.quality_count end
                 as mean_quality,
               case when r.runs > 0 then r.latency_sum_ms / r.runs end as mean_latency_ms,
               case when r.runs > 0 then r.latency_max_ms end as max_latency_ms
          from graph_nodes s
          join graph_edges e on e.to_id = s.id and e.type = 'HAS_SKILL'
          join graph_nodes n on n.id = e.from_id
          cross join lateral (
            select case when jsonb_typeof(e.properties -> 'level') = 'number'
                        then (e.properties ->> 'level')::float8 end as level,
                   coalesce(x.evidence_runs, 0) as runs,
                   case when x.evidence_runs > 0 then coalesce(x.evidence_successes, 0) else 0 end
                     as successes,
                   case when x.evidence_runs > 0 then coalesce(x.evidence_failures, 0) else 0 end
                     as failures,
                   case when x.evidence_runs > 0 then x.evidence_mean_cost end as mean_cost,
                   coalesce(x.evidence_quality_sum, 0) as quality_sum,
                   coalesce(x.evidence_quality_count, 0) as quality_count,
                   coalesce(x.evidence_latency_sum_ms, 0) as latency_sum_ms,
                   coalesce(x.evidence_latency_max_ms, 0) as latency_max_ms
              from jsonb_to_record(e.properties) as x(
                evidence_runs float8, evidence_successes float8, evidence_failures float8,
                evidence_mean_cost text, evidence_quality_sum float8, evidence_quality_count float8,
                evidence_latency_sum_ms float8, evidence_latency_max_ms float8)
          ) r
          cross join lateral (
            select least(1, greatest(0, r.successes / nullif(r.runs, 0))) as p,
                   ${WILSON_Z_95}::float8 * ${WILSON_Z_95}::float8 as z2
          ) w
         where s.id = ${skillId} and s.label = 'Skill' and n.label = 'Agent'
           and (n.properties ->> 'status') is distinct from 'retired'
         order by bound desc, r.runs desc, coalesce(r.level, 0) desc, lower(n.properties ->> 'name'), n.id
         limit ${limit + 1}`;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const skillName =
        rows[0]?.skill_name ??
        (
          await sql<{ name: string | null }[]>`
            select properties ->> 'name' as name from graph_nodes
             where id = ${skillId} and label = 'Skill'`
        )[0]?.name;
      if (skillName === undefined) throw new Error(`no skill ${skillId}`);
      return {
        skill: { id: skillId, name: skillName ?? '' },
        ranked_by: 'success_lower_bound' as const,
        agents: page.map((row) => ({
          agent: { id: row.id, name: row.name, status: row.status },
          level: row.level,
          runs: row.runs,
          successes: row.successes,
          failures: row.failures,
          success_lower_bound: row.bound,
          mean_quality: row.mean_quality,
          mean_cost: row.mean_cost,
          mean_latency_ms: row.mean_latency_ms,
          max_latency_ms: row.max_latency_ms,
        })),
        next_cursor:
          rows.length > limit && last
            ? cursorAfter([last.bound, last.runs, last.level ?? 0, nameKey(last.name), last.id])
            : null,
      };
    },

    async neighbourhood(id, hops) {
      const rows = await sql<SubgraphRow[]>`
        with recursive reach(id, depth) as (
          select id, 0 from graph_nodes where id = ${id}
          union
          select step.next, r.depth + 1
            from reach r
            cross join lateral (
              select to_id as next from graph_edges where from_id = r.id and type = any(${types})
              union all
              select from_id from graph_edges where to_id = r.id and type = any(${types})
            ) step
           where r.depth < ${hops}
        ),
        found as materialized (select distinct id from reach)
        select 'node' as kind, n.id, n.label, null as to_id, n.properties
          from graph_nodes n join found using (id)
        union all
        select 'edge', e.from_id, e.type, e.to_id, e.properties
          from found f
          join graph_edges e on e.from_id = f.id
         where e.type = any(${types}) and e.to_id in (select id from found)
         order by kind desc, id, label, to_id`;
      const nodes: GraphNode[] = [];
      const edges: GraphEdge[] = [];
      for (const row of rows) {
        if (row.kind === 'node')
          nodes.push({ id: row.id, label: row.label as NodeLabel, properties: row.properties });
        else
          edges.push({
            type: row.label as EdgeType,
            from: row.id,
            to: row.to_id as string,
            properties: row.properties,
          });
      }
      return { nodes, edges };
    },

    async shortestPath(from, to, maxHops) {
      // Breadth first in one statement: each layer is one row of arrays (the nodes it reached,
      // and for each the node and edge it was reached by); a node seen before is left out, and
      // the search stops at the layer that reaches `to`. Then the walk back from `to`.
      const rows = await sql<PathRow[]>`
        with recursive layer(depth, ids, vias, types, forwards, seen) as (
          select 0, array[id], array[null::text], array[null::text], array[null::boolean], array[id]
            from graph_nodes where id = ${from} and exists (select 1 from graph_nodes where id = ${to})
          union all
          select l.depth + 1, nx.ids, nx.vias, nx.types, nx.forwards, l.seen || nx.ids
            from layer l
            cross join lateral (
              select array_agg(s.next order by s.next) as ids,
                     array_agg(s.at order by s.next) as vias,
                     array_agg(s.type order by s.next) as types,
                     array_agg(s.forward order by s.next) as forwards
                from (
                  select distinct on (c.next) c.next, c.at, c.type, c.forward
                    from (
                      select e.to_id as next, e.from_id as at, e.type, true as forward
                        from graph_edges e where e.from_id = any(l.ids) and e.type = any(${types})
                      union all
                      select e.from_id, e.to_id, e.type, false
                        from graph_edges e where e.to_id = any(l.ids) and e.type = any(${types})
                    ) c
                    left join unnest(l.seen) as v(id) on v.id = c.next
                   where v.id is null
                   order by c.next, c.type, c.at
                ) s
            ) nx
           where l.depth < ${maxHops} and not (${to} = any(l.seen)) and nx.ids is not null
        ),
        walk(depth, id, via, type, forward) as (
          select l.depth, ${to}::text, l.vias[i], l.types[i], l.forwards[i]
            from layer l cross join lateral array_position(l.ids, ${to}::text) as i
           where i is not null
          union all
          select l.depth, w.via, l.vias[i], l.types[i], l.forwards[i]
            from walk w
            join layer l on l.depth = w.depth - 1
            cross join lateral array_position(l.ids, w.via) as i
        )
        select n.id, n.label, n.properties,
               e.type as edge_type, e.from_id as edge_from, e.to_id as edge_to,
               e.properties as edge_properties
          from walk w
          join graph_nodes n on n.id = w.id
          left join graph_edges e
            on e.type = w.type
           and e.from_id = case when w.forward then w.via else w.id end
           and e.to_id = case when w.forward then w.id else w.via end
         order by w.depth`;
      if (rows.length === 0) return undefined;
      const nodes = rows.map(({ id, label, properties }): GraphNode => ({ id, label, properties }));
      // Row k (k ≥ 1) holds the edge between node k - 1 and node k.
      const edges = rows.slice(1).map(
        (row): GraphEdge => ({
          type: row.edge_type as EdgeType,
          from: row.edge_from as string,
          to: row.edge_to as string,
          properties: row.edge_properties as Properties,
        }),
      );
      return { nodes, edges };
    },
  };
}
