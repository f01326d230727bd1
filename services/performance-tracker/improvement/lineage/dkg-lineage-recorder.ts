import type { DkgManagerClient } from '../../../dkg-manager/client.js';
import type { LineageLink, LineageRecorder } from './lineage-recorder.js';

/** A lineage write waits this long at most: registering a variant does not hang on the DKG. */
const TIMEOUT_MS = 3_000;

/**
 * Lineage in the DKG manager's graph: the agents are its mirrored Agent entries (entry id = the
 * orchestrator's agent id), and the variant's current version gets `DERIVED_FROM` the parent's
 * current version (`PUT /v1/relations`; setting it again changes nothing). The DKG's own rules
 * apply: a relation that would close a cycle is refused (409 lineage_cycle).
 */
export function dkgLineageRecorder(
  dkg: Pick<DkgManagerClient, 'versions' | 'putRelation'>,
): LineageRecorder {
  const options = { timeoutMs: TIMEOUT_MS };
  const currentVersion = async (agentId: string) => {
    const current = (await dkg.versions('agents', agentId, options)).at(-1);
    if (!current) throw new Error(`agent ${agentId} has no version in the knowledge graph yet`);
    return current.id;
  };
  return {
    async record({ variantAgentId, parentAgentId }: LineageLink) {
      const from = await currentVersion(variantAgentId);
      const to = await currentVersion(parentAgentId);
      await dkg.putRelation({ type: 'DERIVED_FROM', from_id: from, to_id: to }, options);
    },
  };
}
