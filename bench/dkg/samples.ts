import { RELATION_TYPES } from '../../services/dkg-manager/domain/relations.js';
import type { NodeLabel } from '../../services/dkg-manager/graph/graph-schema.js';
import type { Database } from '../../services/platform/db.js';
import type { SeededRandom } from './seeded-random.js';

/** The registries' labels: where neighbourhoods and paths start and end. */
export const ENTRY_LABELS: readonly NodeLabel[] = ['Agent', 'Skill', 'Tool', 'Strategy'];

/** Ids of nodes with one of `labels`, in id order (so a seed picks the same ones every run). */
export async function idsOf(sql: Database, labels: readonly NodeLabel[]): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from graph_nodes where label = any(${[...labels]}) order by id`;
  return rows.map((row) => row.id);
}

/** `count` ids drawn at random (with replacement) from `ids`. */
export const drawIds = (random: SeededRandom, ids: readonly string[], count: number): string[] =>
  Array.from({ length: count }, () => random.pick(ids));

/** Two entries a path query asks about. */
export interface PathPair {
  readonly from: string;
  readonly to: string;
}

/**
 * `count` pairs of entries: every other pair joined by a random walk of 1 to `maxHops` relations
 * from `from` (entries known to be related, so a path exists), the others two entries drawn at
 * random (mostly in different domains: farther apart, often no path within `maxHops`, which makes
 * the search exhaust every hop).
 */
export async function drawPathPairs(
  sql: Database,
  random: SeededRandom,
  entries: readonly string[],
  { count, maxHops }: { readonly count: number; readonly maxHops: number },
): Promise<PathPair[]> {
  const pairs: PathPair[] = [];
  for (let i = 0; i < count; i++) {
    const from = random.pick(entries);
    if (i % 2 === 1) {
      pairs.push({ from, to: random.pick(entries) });
      continue;
    }
    let at = from;
    for (let step = 1 + random.below(maxHops); step > 0; step--) {
      const next = await sql<{ id: string }[]>`
        select to_id as id from graph_edges where from_id = ${at} and type = any(${[...RELATION_TYPES]})
        union
        select from_id from graph_edges where to_id = ${at} and type = any(${[...RELATION_TYPES]})
        order by id`;
      if (next.length === 0) break;
      at = random.pick(next).id;
    }
    pairs.push({ from, to: at });
  }
  return pairs;
}
