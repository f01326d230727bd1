export interface ClusterLocationArgs {
  readonly region: string;
  readonly zones: readonly string[];
  /** A regional control plane (replicated across zones) rather than a zonal one. */
  readonly regional: boolean;
}

export interface ClusterLocation {
  /** The region when regional, else the first zone. */
  readonly location: string;
  /** Zones the nodes run in, besides the location when zonal; undefined when there are none. */
  readonly nodeLocations?: string[];
}

/**
 * Where the control plane and the nodes run. A regional cluster lists every zone; a zonal
 * cluster's nodeLocations omit its own zone, which the provider adds itself (listing it again
 * makes a permanent diff).
 */
export function clusterLocation({ region, zones, regional }: ClusterLocationArgs): ClusterLocation {
  const [first] = zones;
  if (first === undefined) {
    throw new Error('A GKE cluster needs at least one zone for its nodes; zones is empty.');
  }
  const foreign = zones.filter((zone) => !zone.startsWith(`${region}-`));
  if (foreign.length > 0) {
    throw new Error(
      `Zones ${foreign.join(', ')} are not in region ${region}, where the cluster runs.`,
    );
  }
  if (regional) return { location: region, nodeLocations: [...zones] };
  const others = zones.slice(1);
  return others.length > 0 ? { location: first, nodeLocations: others } : { location: first };
}
