import type { GraphNodeView } from '../../../dkg-manager/client.js';
import { dataArtifact } from '../task-states.js';
import { RunRefused, type RuntimeAnswer, type RuntimeDeps, type RuntimeRun } from './runtime.js';

/** Matches the tool answers, and how many relations around the first it follows. */
const MATCHES = 5;
const HOPS = 1;
/** The DKG manager's search takes at most 200 characters. */
const MAX_QUERY = 200;
/** Words of a prompt searched one by one when the whole prompt matches nothing. */
const MAX_WORDS = 8;

/** The words of `text` worth searching for: letters and digits, three or more, longest first. */
export function searchWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, MAX_WORDS);
}

/**
 * The `knowledge-graph` tool: searches the DKG manager for the task's text (all of it, or when
 * that matches nothing, its longest words one by one, entries matching more words first) and
 * answers the best matches with the relations around the first, as a JSON artifact
 * `knowledge-graph`. Free. Refused when the orchestrator has no DKG manager client.
 */
export async function knowledgeGraphTool(
  deps: Pick<RuntimeDeps, 'dkg'>,
  { prompt, signal }: RuntimeRun,
): Promise<RuntimeAnswer> {
  const { dkg } = deps;
  if (!dkg) throw new RunRefused('the knowledge graph is not reachable from this orchestrator');
  const query = prompt.trim().slice(0, MAX_QUERY);
  let matches = query ? await dkg.search(query, { limit: MATCHES }, { signal }) : [];
  if (matches.length === 0) {
    const hits = new Map<string, { node: GraphNodeView; words: number }>();
    for (const word of searchWords(prompt))
      for (const node of await dkg.search(word, { limit: MATCHES }, { signal })) {
        const hit = hits.get(node.id) ?? { node, words: 0 };
        hits.set(node.id, { node, words: hit.words + 1 });
      }
    matches = [...hits.values()]
      .sort((a, b) => b.words - a.words)
      .slice(0, MATCHES)
      .map((hit) => hit.node);
  }
  const [first] = matches;
  const around = first ? await dkg.neighbourhood(first.id, HOPS, { signal }) : undefined;
  return {
    artifacts: [
      dataArtifact('knowledge-graph', {
        query,
        matches,
        ...(around && { around: { entry_id: first?.id, hops: HOPS, ...around } }),
      }),
    ],
    costAia: '0',
    metadata: { tool: 'knowledge-graph' },
  };
}
