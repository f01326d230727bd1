import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/** The class single-replica stateful workloads use in a regional cluster. */
export const REGIONAL_PD_CLASS = 'regional-pd-balanced';
/** GKE's Compute Engine persistent disk CSI driver. */
export const PD_CSI_PROVISIONER = 'pd.csi.storage.gke.io';
const ZONE_KEY = 'topology.gke.io/zone';

/**
 * A StorageClass of regional persistent disks: each volume is replicated synchronously to two of
 * `zones`, so the one pod of a single-replica StatefulSet (Neo4j community, Jaeger's Badger
 * store) can restart in another zone with its data when a zone fails, instead of waiting for it.
 * Balanced PD (a regional pd-standard volume must be 200 GB or more); the volume is created in
 * the zone of the first pod that uses it, and may grow in place; a deleted claim keeps its disk.
 */
export function regionalPdStorageClass(zones: readonly string[]) {
  if (new Set(zones).size < 2) {
    throw new Error(
      `A regional persistent disk is replicated across two zones: the cluster's nodes must span at least two, got ${zones.join(', ') || 'none'}`,
    );
  }
  return {
    metadata: { name: REGIONAL_PD_CLASS },
    provisioner: PD_CSI_PROVISIONER,
    parameters: { type: 'pd-balanced', 'replication-type': 'regional-pd' },
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
    reclaimPolicy: 'Retain',
    allowedTopologies: [{ matchLabelExpressions: [{ key: ZONE_KEY, values: [...zones] }] }],
  };
}

/** The regional PD StorageClass on the cluster of `opts`' provider, named `${name}-regional-pd`. */
export function regionalPdClass(
  name: string,
  args: { readonly zones: readonly string[]; readonly labels: Record<string, string> },
  opts?: pulumi.CustomResourceOptions,
): k8s.storage.v1.StorageClass {
  const spec = regionalPdStorageClass(args.zones);
  return new k8s.storage.v1.StorageClass(
    `${name}-regional-pd`,
    { ...spec, metadata: { ...spec.metadata, labels: args.labels } },
    opts,
  );
}
