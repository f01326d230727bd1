import {
  type Entry,
  type EntryVersion,
  nameKey,
  REGISTRIES,
  type RegistryName,
  versionKey,
} from '../domain/registries.js';
import type { GraphNode, GraphTx } from '../graph/graph-store.js';

/**
 * Entries and versions as graph nodes: an entry is a node of its registry's label keyed by its
 * normalised name; each version a `Version` node keyed `entry@number`, joined by HAS_VERSION.
 * The only place that knows the mapping.
 */
export const entryNode = (entry: Entry): GraphNode => ({
  label: REGISTRIES[entry.registry],
  id: entry.id,
  properties: {
    key: nameKey(entry.name),
    name: entry.name,
    description: entry.description,
    tags: entry.tags,
    owner: entry.owner,
    current_version: entry.current_version,
    created_at: entry.created_at,
    updated_at: entry.updated_at,
  },
});

export const entryOf = (registry: RegistryName, { id, properties: p }: GraphNode): Entry => ({
  id,
  registry,
  name: String(p.name),
  description: String(p.description ?? ''),
  tags: (p.tags as readonly string[] | undefined) ?? [],
  owner: String(p.owner),
  current_version: Number(p.current_version),
  created_at: String(p.created_at),
  updated_at: String(p.updated_at),
});

export const versionNode = (version: EntryVersion): GraphNode => ({
  label: 'Version',
  id: version.id,
  properties: {
    key: versionKey(version.entry_id, version.number),
    entry_id: version.entry_id,
    number: version.number,
    name: version.name,
    description: version.description,
    tags: version.tags,
    spec: JSON.stringify(version.spec),
    created_by: version.created_by,
    created_at: version.created_at,
  },
});

export const versionOf = ({ id, properties: p }: GraphNode): EntryVersion => ({
  id,
  entry_id: String(p.entry_id),
  number: Number(p.number),
  name: String(p.name),
  description: String(p.description ?? ''),
  tags: (p.tags as readonly string[] | undefined) ?? [],
  spec: JSON.parse(String(p.spec ?? '{}')) as Record<string, unknown>,
  created_by: String(p.created_by),
  created_at: String(p.created_at),
});

/** Saves a new version of an entry (the entry as it now is, the version, the edge between). */
export async function saveVersion(tx: GraphTx, entry: Entry, version: EntryVersion): Promise<void> {
  await tx.upsertNode(entryNode(entry));
  await tx.upsertNode(versionNode(version));
  await tx.putEdge({ type: 'HAS_VERSION', from: entry.id, to: version.id, properties: {} });
}

export async function findEntry(
  tx: GraphTx,
  registry: RegistryName,
  id: string,
): Promise<Entry | undefined> {
  const node = await tx.getNode(REGISTRIES[registry], id);
  return node && entryOf(registry, node);
}

/** An entry's versions, oldest first. */
export async function versionsOf(tx: GraphTx, entryId: string): Promise<EntryVersion[]> {
  const found = await tx.neighbours(entryId, { direction: 'out', types: ['HAS_VERSION'] });
  return found.map(({ node }) => versionOf(node)).sort((a, b) => a.number - b.number);
}

export async function findVersion(
  tx: GraphTx,
  entryId: string,
  number: number,
): Promise<EntryVersion | undefined> {
  const node = await tx.findByKey('Version', versionKey(entryId, number));
  return node && versionOf(node);
}
