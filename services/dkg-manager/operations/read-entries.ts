import { NotFoundError } from '../../platform/errors.js';
import {
  type Entry,
  type EntryVersion,
  REGISTRIES,
  type RegistryName,
} from '../domain/registries.js';
import type { NodeLabel } from '../graph/graph-schema.js';
import { entryOf, findEntry, findVersion, versionsOf } from '../repository/entry-nodes.js';
import type { DkgContext } from './dkg-context.js';

const encodeCursor = (key: string) => Buffer.from(key).toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString();

/** One page of a registry in name order; `next` is the cursor of the following page or null. */
export async function listEntries(
  { graph }: DkgContext,
  registry: RegistryName,
  { limit, cursor }: { readonly limit: number; readonly cursor?: string },
): Promise<{ entries: Entry[]; next: string | null }> {
  const nodes = await graph.read((tx) =>
    tx.listByKey(REGISTRIES[registry], {
      limit: limit + 1,
      ...(cursor === undefined ? {} : { afterKey: decodeCursor(cursor) }),
    }),
  );
  const page = nodes.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((node) => entryOf(registry, node)),
    next: nodes.length > limit && last ? encodeCursor(String(last.properties.key)) : null,
  };
}

export async function getEntry(
  { graph }: DkgContext,
  registry: RegistryName,
  id: string,
): Promise<Entry> {
  const entry = await graph.read((tx) => findEntry(tx, registry, id));
  if (!entry) throw new NotFoundError(`no ${registry} entry ${id}`);
  return entry;
}

/** Every version of an entry, oldest first (versions are never changed or removed). */
export async function listVersions(
  context: DkgContext,
  registry: RegistryName,
  id: string,
): Promise<EntryVersion[]> {
  await getEntry(context, registry, id);
  return context.graph.read((tx) => versionsOf(tx, id));
}

export async function getVersion(
  context: DkgContext,
  registry: RegistryName,
  id: string,
  number: number,
): Promise<EntryVersion> {
  await getEntry(context, registry, id);
  const version = await context.graph.read((tx) => findVersion(tx, id, number));
  if (!version) throw new NotFoundError(`${registry} entry ${id} has no version ${number}`);
  return version;
}

/** A relation at a node, seen from it. */
export interface RelationView {
  readonly type: string;
  readonly direction: 'out' | 'in';
  readonly node: { readonly id: string; readonly label: NodeLabel; readonly name: string | null };
  readonly level: number | null;
}

/** The relations of an entry, both directions, its versions left out (see its versions). */
export async function relationsOf(
  context: DkgContext,
  registry: RegistryName,
  id: string,
): Promise<RelationView[]> {
  await getEntry(context, registry, id);
  const found = await context.graph.read((tx) => tx.neighbours(id, { direction: 'both' }));
  return found
    .filter(({ edge }) => edge.type !== 'HAS_VERSION')
    .map(({ edge, node }) => ({
      type: edge.type,
      direction: edge.from === id ? 'out' : 'in',
      node: {
        id: node.id,
        label: node.label,
        name: typeof node.properties.name === 'string' ? node.properties.name : null,
      },
      level: typeof edge.properties.level === 'number' ? edge.properties.level : null,
    }));
}
