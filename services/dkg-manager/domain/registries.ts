import type { NodeLabel } from '../graph/graph-schema.js';

/** The four registries, by their path segment, and the label of their entries' nodes. */
export const REGISTRIES = {
  skills: 'Skill',
  tools: 'Tool',
  strategies: 'Strategy',
  agents: 'Agent',
} as const satisfies Record<string, NodeLabel>;
export type RegistryName = keyof typeof REGISTRIES;
export const REGISTRY_NAMES = Object.keys(REGISTRIES) as RegistryName[];

/** The registry whose entries carry this label, if any. */
export const registryOfLabel = (label: NodeLabel): RegistryName | undefined =>
  REGISTRY_NAMES.find((name) => REGISTRIES[name] === label);

/**
 * The name two entries of a registry may not share: Unicode-normalised, spaces collapsed,
 * lower-cased, so `Web  Search` and `web search` are the same name.
 */
export const nameKey = (name: string): string =>
  name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** A version's key: unique among Version nodes, so two writers cannot both add version n. */
export const versionKey = (entryId: string, number: number): string => `${entryId}@${number}`;

/** A registry entry: what its current version says, with who owns it. */
export interface Entry {
  readonly id: string;
  readonly registry: RegistryName;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly owner: string;
  readonly current_version: number;
  readonly created_at: string;
  readonly updated_at: string;
}

/** One immutable version of an entry. `spec` is the entry's details as JSON. */
export interface EntryVersion {
  readonly id: string;
  readonly entry_id: string;
  readonly number: number;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly spec: Readonly<Record<string, unknown>>;
  readonly created_by: string;
  readonly created_at: string;
}
