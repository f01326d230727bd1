import * as k8s from '@pulumi/kubernetes';
import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { describe, type Metadata, objectsOf } from './objects.js';
import { HELM_RELEASE } from './stack-objects.js';

/** A persistent volume that only one pod uses, and the class it asks for. */
interface SingleReplicaVolume {
  readonly urn: string;
  /** `StatefulSet data/neo4j (volumes.data)`: how the message names it. */
  readonly what: string;
  /** Where to set the class. */
  readonly field: string;
  readonly storageClass: string | undefined;
}

type Values = Record<string, unknown>;
const at = (values: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Values | undefined)?.[key], values);
const replicasOf = (value: unknown) => (typeof value === 'number' ? value : 1);

/** Charts whose single-replica volumes sit in their values (Helm releases are not rendered). */
const CHART_VOLUMES: Readonly<
  Record<string, (values: unknown) => { field: string; storageClass: unknown }[]>
> = {
  // The community edition runs one server: its data volume is always single-replica.
  neo4j: (values) =>
    at(values, 'volumes', 'data', 'mode') === 'dynamic'
      ? [
          {
            field: 'values.volumes.data.dynamic.storageClassName',
            storageClass: at(values, 'volumes', 'data', 'dynamic', 'storageClassName'),
          },
        ]
      : [],
  'kube-prometheus-stack': (values) =>
    (['prometheus', 'alertmanager'] as const).flatMap((part) => {
      const spec = at(values, part, `${part}Spec`);
      const claim =
        part === 'prometheus'
          ? at(spec, 'storageSpec', 'volumeClaimTemplate')
          : at(spec, 'storage', 'volumeClaimTemplate');
      if (!claim || replicasOf(at(spec, 'replicas')) > 1) return [];
      const storage = part === 'prometheus' ? 'storageSpec' : 'storage';
      return [
        {
          field: `values.${part}.${part}Spec.${storage}.volumeClaimTemplate.spec.storageClassName`,
          storageClass: at(claim, 'spec', 'storageClassName'),
        },
      ];
    }),
};

const chartName = (chart: unknown) => {
  const text = typeof chart === 'string' ? chart : '';
  return text.slice(text.lastIndexOf('/') + 1);
};

/** Every volume of the stack that one pod alone holds: lose its zone and the data is out of reach. */
export function singleReplicaVolumes(resources: readonly PolicyResource[]): SingleReplicaVolume[] {
  const found: SingleReplicaVolume[] = [];
  for (const { urn, name, props } of objectsOf(resources, k8s.apps.v1.StatefulSet)) {
    if (replicasOf(props.spec?.replicas) > 1) continue;
    for (const [i, claim] of (props.spec?.volumeClaimTemplates ?? []).entries()) {
      found.push({
        urn,
        what: `${describe('StatefulSet', props.metadata, name)} (one replica)`,
        field: `spec.volumeClaimTemplates[${i}].spec.storageClassName`,
        storageClass: claim.spec?.storageClassName,
      });
    }
  }
  // A claim of its own is mounted by one pod (ReadWriteOnce): Jaeger's Badger store.
  for (const { urn, name, props } of objectsOf(resources, k8s.core.v1.PersistentVolumeClaim)) {
    if (props.spec?.accessModes?.some((mode) => mode !== 'ReadWriteOnce')) continue;
    found.push({
      urn,
      what: describe('PersistentVolumeClaim', props.metadata, name),
      field: 'spec.storageClassName',
      storageClass: props.spec?.storageClassName,
    });
  }
  for (const resource of resources.filter(
    (r) => r.type === 'kubernetes:kafka.strimzi.io/v1:KafkaNodePool',
  )) {
    const spec = at(resource.props, 'spec');
    if (replicasOf(at(spec, 'replicas')) > 1 || at(spec, 'storage', 'type') !== 'persistent-claim')
      continue;
    found.push({
      urn: resource.urn,
      what: `${describe('KafkaNodePool', at(resource.props, 'metadata') as Metadata, resource.name)} (one broker)`,
      field: 'spec.storage.class',
      storageClass: at(spec, 'storage', 'class') as string | undefined,
    });
  }
  for (const resource of resources.filter((r) => r.type === HELM_RELEASE)) {
    const volumes = CHART_VOLUMES[chartName(resource.props.chart)]?.(resource.props.values) ?? [];
    for (const { field, storageClass } of volumes) {
      found.push({
        urn: resource.urn,
        what: `Release ${resource.props.namespace ?? 'default'}/${resource.props.name ?? resource.name}`,
        field,
        storageClass: typeof storageClass === 'string' ? storageClass : undefined,
      });
    }
  }
  return found;
}

export const regionalDisksForSingleReplicas: StackValidationPolicy = {
  name: 'k8s-regional-disks',
  description:
    'Volumes that one pod alone holds (single-replica StatefulSets, their charts, standalone claims) use a regional persistent disk StorageClass of the stack, replicated across two zones (advisory on staging, a zonal cluster).',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const regional = new Set<string>();
    for (const { urn, name, props } of objectsOf(resources, k8s.storage.v1.StorageClass)) {
      if (props.parameters?.['replication-type'] !== 'regional-pd') continue;
      const className = props.metadata?.name ?? name;
      const zones = new Set(
        (props.allowedTopologies ?? []).flatMap((term) =>
          (term.matchLabelExpressions ?? []).flatMap((expression) => expression.values ?? []),
        ),
      );
      if (zones.size < 2) {
        report(
          `StorageClass ${className} is regional-pd but allows ${zones.size} zone(s): set allowedTopologies to the cluster's zones (topology.gke.io/zone, two or more), so the disk's replica zone has nodes.`,
          urn,
        );
        continue;
      }
      regional.add(className);
    }
    const [declared] = regional;
    const fix = declared
      ? `'${declared}', the stack's regional persistent disk class`
      : "a StorageClass of the stack with parameters { type: pd-balanced, replication-type: regional-pd } and allowedTopologies across the cluster's zones";
    for (const volume of singleReplicaVolumes(resources)) {
      if (volume.storageClass && regional.has(volume.storageClass)) continue;
      const on = volume.storageClass
        ? `storage class '${volume.storageClass}'`
        : 'the default storage class';
      report(
        `${volume.what} keeps its data on ${on}, a zonal disk: a zone outage takes the workload down with its data. Set ${volume.field} to ${fix}.`,
        volume.urn,
      );
    }
  },
};
