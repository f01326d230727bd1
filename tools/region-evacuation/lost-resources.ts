import { providerUrn, type StackExport, type StateResource } from './state.js';

export interface EvacuationOptions {
  /** The region that is gone, such as `us-central1`. */
  readonly lostRegion: string;
  /**
   * The promoted disaster recovery replica the stack adopts as its primary
   * (`cloudSql.adoptPrimary.instanceName`): it leaves the state under its replica's URN, and the
   * program imports it under the primary's.
   */
  readonly adoptInstance: string;
}

/** Why a resource leaves the state. */
export type RemovalReason =
  | { readonly kind: 'kubernetes' }
  | { readonly kind: 'located'; readonly location: string }
  | { readonly kind: 'inside'; readonly container: string }
  | { readonly kind: 'child'; readonly parent: string }
  | { readonly kind: 'adopted' };

export interface RemovedResource {
  readonly urn: string;
  readonly type: string;
  readonly reason: RemovalReason;
}

export interface Evacuation {
  /** What leaves the state, in state order. */
  readonly removed: readonly RemovedResource[];
  /** Edges of kept resources to removed ones, dropped so that the state stays whole. */
  readonly droppedEdges: readonly { readonly urn: string; readonly to: string }[];
  /** The export to `pulumi stack import`: the kept resources, everything else as it was. */
  readonly state: StackExport;
  /**
   * Operations an interrupted update left pending: kept in the export, which `pulumi stack import`
   * drops with a warning. Each may have happened in the cloud or not: check it by hand.
   */
  readonly pendingOperations: readonly PendingOperation[];
}

export interface PendingOperation {
  /** `creating`, `updating`, `deleting`, `reading`, `importing`. */
  readonly kind: string;
  readonly urn: string;
  readonly type: string;
}

/** Inputs of a resource that name the resource it lives in, with that resource's type. */
const CONTAINER_INPUTS: Readonly<Record<string, string>> = {
  instance: 'gcp:sql/databaseInstance:DatabaseInstance',
  cluster: 'gcp:container/cluster:Cluster',
  keyRing: 'gcp:kms/keyRing:KeyRing',
  cryptoKeyId: 'gcp:kms/cryptoKey:CryptoKey',
  bucket: 'gcp:storage/bucket:Bucket',
  repository: 'gcp:artifactregistry/repository:Repository',
  router: 'gcp:compute/router:Router',
};

const LOCATION_INPUTS = ['region', 'location', 'zone'] as const;
const SQL_INSTANCE = CONTAINER_INPUTS.instance as string;

const isKubernetes = (type: string) =>
  type.startsWith('kubernetes:') || type === 'pulumi:providers:kubernetes';

/**
 * A provider's inputs are its configuration (the default Google provider's `region` is
 * `gcp:region`), not a place: a provider is never lost for where it points, only the Kubernetes
 * one, with its cluster. Taking the Google provider would take every Google resource with it.
 */
const isProvider = (type: string) => type.startsWith('pulumi:providers:');

const field = (resource: StateResource, key: string): unknown =>
  resource.outputs?.[key] ?? resource.inputs?.[key];

/** The names a container is referred to by: its ID and its name. */
const referencesTo = (resource: StateResource): string[] =>
  [resource.id, field(resource, 'name')].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );

/** The lost region, or one of its zones, where the resource says it lives. */
function locationIn(resource: StateResource, region: string): string | undefined {
  for (const key of LOCATION_INPUTS) {
    const value = field(resource, key);
    if (typeof value !== 'string') continue;
    const location = value.toLowerCase();
    if (location === region || location.startsWith(`${region}-`)) return location;
  }
  return undefined;
}

/**
 * Splits a stack's state into what survives the loss of a region and what is gone with it: the
 * Kubernetes objects (the cluster was in the region), every resource located in the region or
 * one of its zones, what lives inside one of those (a database and its users on the lost Cloud SQL
 * instance, a key in a lost key ring, a member of a lost bucket), their children, and the adopted
 * replica (re-imported as the primary). Global and multi-region resources stay, so the next
 * `pulumi up` in the new region updates them in place instead of creating them again; kept
 * resources' edges to removed ones are dropped, or `pulumi stack import` refuses the state.
 */
export function evacuate(state: StackExport, options: EvacuationOptions): Evacuation {
  const resources = state.deployment.resources ?? [];
  const removed = new Map<string, RemovalReason>();
  const adopted = resources.find(
    (resource) =>
      resource.type === SQL_INSTANCE && field(resource, 'name') === options.adoptInstance,
  );
  if (!adopted) {
    throw new Error(
      `--adopt-instance: the state holds no Cloud SQL instance named ${options.adoptInstance} (the promoted disaster recovery replica)`,
    );
  }
  if (locationIn(adopted, options.lostRegion)) {
    throw new Error(
      `--adopt-instance: ${options.adoptInstance} is in ${options.lostRegion}, the lost region: adopt the replica outside it`,
    );
  }
  removed.set(adopted.urn, { kind: 'adopted' });

  for (const resource of resources) {
    const location = locationIn(resource, options.lostRegion);
    if (isKubernetes(resource.type)) removed.set(resource.urn, { kind: 'kubernetes' });
    else if (location && resource.custom !== false && !isProvider(resource.type)) {
      removed.set(resource.urn, { kind: 'located', location });
    }
  }
  if (![...removed.values()].some(({ kind }) => kind === 'located')) {
    throw new Error(
      `--lost-region: nothing in the state is located in ${options.lostRegion}: check the region's name`,
    );
  }

  // Whatever lives inside, under or through a removed resource goes with it, until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    const lostReferences = new Map<string, string>();
    for (const resource of resources) {
      if (!removed.has(resource.urn)) continue;
      for (const reference of referencesTo(resource)) {
        lostReferences.set(`${resource.type}|${reference}`, resource.urn);
      }
    }
    for (const resource of resources) {
      if (removed.has(resource.urn)) continue;
      const reason = removalThrough(resource, removed, lostReferences);
      if (reason) {
        removed.set(resource.urn, reason);
        changed = true;
      }
    }
  }

  const droppedEdges: { urn: string; to: string }[] = [];
  const kept = resources
    .filter((resource) => !removed.has(resource.urn))
    .map((resource) => withoutEdgesTo(resource, removed, droppedEdges));
  return {
    removed: resources
      .filter((resource) => removed.has(resource.urn))
      .map(({ urn, type }) => ({ urn, type, reason: removed.get(urn) as RemovalReason })),
    droppedEdges,
    pendingOperations: (state.deployment.pending_operations ?? []).map(pendingOperation),
    state: { ...state, deployment: { ...state.deployment, resources: kept } },
  };
}

function removalThrough(
  resource: StateResource,
  removed: ReadonlyMap<string, RemovalReason>,
  lostReferences: ReadonlyMap<string, string>,
): RemovalReason | undefined {
  if (resource.parent && removed.has(resource.parent)) {
    return { kind: 'child', parent: resource.parent };
  }
  if (resource.provider && removed.has(providerUrn(resource.provider))) {
    return { kind: 'kubernetes' };
  }
  for (const [key, containerType] of Object.entries(CONTAINER_INPUTS)) {
    const viaDependency = resource.propertyDependencies?.[key]?.find((urn) => removed.has(urn));
    if (viaDependency) return { kind: 'inside', container: viaDependency };
    const value = field(resource, key);
    const viaName =
      typeof value === 'string' ? lostReferences.get(`${containerType}|${value}`) : undefined;
    if (viaName) return { kind: 'inside', container: viaName };
  }
  return undefined;
}

function withoutEdgesTo(
  resource: StateResource,
  removed: ReadonlyMap<string, unknown>,
  dropped: { urn: string; to: string }[],
): StateResource {
  const drop = (to: string) => {
    if (!removed.has(to)) return true;
    if (!dropped.some((edge) => edge.urn === resource.urn && edge.to === to)) {
      dropped.push({ urn: resource.urn, to });
    }
    return false;
  };
  const result: Record<string, unknown> = { ...resource };
  if (resource.dependencies) result.dependencies = resource.dependencies.filter(drop);
  if (resource.propertyDependencies) {
    result.propertyDependencies = Object.fromEntries(
      Object.entries(resource.propertyDependencies)
        .map(([key, urns]) => [key, urns.filter(drop)] as const)
        .filter(([, urns]) => urns.length > 0),
    );
  }
  if (resource.deletedWith && !drop(resource.deletedWith)) delete result.deletedWith;
  return result as StateResource;
}

function pendingOperation(operation: unknown): PendingOperation {
  const { type, resource } = (operation ?? {}) as {
    type?: string;
    resource?: { urn?: string; type?: string };
  };
  return { kind: type ?? 'unknown', urn: resource?.urn ?? '?', type: resource?.type ?? '?' };
}
