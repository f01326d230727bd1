/** The two agents of a variant's lineage: the variant's agent derives from its parent. */
export interface LineageLink {
  readonly variantAgentId: string;
  readonly parentAgentId: string;
}

/**
 * Records a variant's lineage in the knowledge graph. Throws when it cannot now (the DKG
 * manager unreachable, an agent not mirrored there yet): the variant's lineage stays pending and
 * is tried again.
 */
export interface LineageRecorder {
  record(link: LineageLink): Promise<void>;
}
