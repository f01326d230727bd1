import type { DkgManagerClient } from '../../dkg-manager/client.js';
import { type Capabilities, type Capability, capabilityOf } from '../domain/capability-fit.js';

/** Entries read per page (the DKG manager's largest page). */
const PAGE_SIZE = 500;
/** At most this many skills, and as many tools, are read per run: the first in name order. */
export const MAX_CAPABILITIES_PER_REGISTRY = 2_000;
/** A run waits at most this long per page for the knowledge graph, then goes on neutral. */
const PAGE_TIMEOUT_MS = 5_000;

/** The DKG client's part capability fit uses: one page of a registry. */
export type CapabilityLister = Pick<DkgManagerClient, 'list'>;

/**
 * Reads what the platform can do from the knowledge graph: its skills and tools (at most
 * {@link MAX_CAPABILITIES_PER_REGISTRY} of each, in name order), each reduced to its words. A run
 * calls it once; any failure (no DKG manager, no signing key, an error answer) throws, and the run
 * then scores capability fit neutral.
 */
export async function readCapabilities(dkg: CapabilityLister): Promise<Capabilities> {
  const entries: Capability[] = [];
  for (const registry of ['skills', 'tools'] as const) {
    const kind = registry === 'skills' ? 'skill' : 'tool';
    let cursor: string | undefined;
    let read = 0;
    do {
      const page = await dkg.list(
        registry,
        { limit: Math.min(PAGE_SIZE, MAX_CAPABILITIES_PER_REGISTRY - read), cursor },
        { timeoutMs: PAGE_TIMEOUT_MS },
      );
      for (const entry of page.entries) entries.push(capabilityOf(kind, entry));
      read += page.entries.length;
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined && read < MAX_CAPABILITIES_PER_REGISTRY);
  }
  return { entries };
}
