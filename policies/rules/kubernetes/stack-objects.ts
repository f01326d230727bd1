import type { PolicyResource } from '@pulumi/policy';
import {
  type ChartRelease,
  type DeclaredObject,
  PINNED_CHARTS,
  type PinnedChart,
  pinnedChartKey,
  type StackCustomResource,
} from './charts/index.js';
import { describe, type Metadata, namespaceOf } from './objects.js';
import { podTemplateOf } from './pod-templates.js';

export const HELM_RELEASE = 'kubernetes:helm.sh/v3:Release';
export const CRD = 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition';
/** A manifest applied from a file or URL (`ChartCrds` applies a release's CRDs this way). */
export const CONFIG_FILE = 'kubernetes:yaml/v2:ConfigFile';

/** Pods GKE itself runs that the stack's policies may select: kube-dns in kube-system. */
export const GKE_SYSTEM_PODS: readonly DeclaredObject[] = [
  {
    kind: 'Pod',
    what: 'kube-dns pods GKE runs',
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
  },
];

/** `kubernetes:kafka.strimzi.io/v1:Kafka` → group, version and kind; built-in groups excluded. */
export function customResourceType(
  type: string,
): { group: string; version: string; kind: string } | undefined {
  const match = /^kubernetes:([^/:]+)\/([^:]+):(.+)$/.exec(type);
  if (!match) return undefined;
  const [, group = '', version = '', kind = ''] = match;
  // Built-in API groups are `*.k8s.io` or undotted (apps, batch); helm.sh and yaml are Pulumi's.
  if (!group.includes('.') || group.endsWith('.k8s.io') || group === 'helm.sh') return undefined;
  return { group, version, kind };
}

/** A Helm release of the stack, with its pinned chart's facts when the table has them. */
export interface StackRelease {
  readonly urn: string;
  readonly key: string;
  readonly release: ChartRelease;
  readonly skipCrds: boolean;
  readonly chart: PinnedChart | undefined;
}

export function stackReleases(resources: readonly PolicyResource[]): StackRelease[] {
  return resources
    .filter((resource) => resource.type === HELM_RELEASE)
    .map(({ urn, name, props }) => {
      const key = pinnedChartKey(String(props.chart ?? ''), props.version as string | undefined);
      return {
        urn,
        key,
        release: {
          name: String(props.name ?? name),
          namespace: String(props.namespace ?? 'default'),
          values: (props.values ?? {}) as Record<string, unknown>,
        },
        skipCrds: props.skipCrds === true,
        chart: PINNED_CHARTS[key],
      };
    });
}

export function stackCustomResources(resources: readonly PolicyResource[]): StackCustomResource[] {
  return resources.flatMap(({ type, name, props }) => {
    const crType = customResourceType(type);
    if (!crType) return [];
    const metadata = props.metadata as Metadata | undefined;
    return [
      {
        kind: crType.kind,
        name: metadata?.name ?? name,
        namespace: namespaceOf(metadata),
        labels: metadata?.labels ?? {},
        spec: (props.spec ?? {}) as Record<string, unknown>,
      },
    ];
  });
}

/**
 * The Pods and Services the stack will have: pod templates and Services of the program, and
 * what the pinned charts of its Helm releases render and their operators create.
 */
export function declaredObjects(resources: readonly PolicyResource[]): DeclaredObject[] {
  const objects: DeclaredObject[] = [];
  for (const { type, name, props } of resources) {
    const metadata = props.metadata as Metadata | undefined;
    const template = podTemplateOf(type, props, name);
    if (template) {
      objects.push({
        kind: 'Pod',
        what: `pods of ${template.object}`,
        namespace: namespaceOf(metadata),
        labels: template.labels,
      });
    } else if (type === 'kubernetes:core/v1:Service') {
      objects.push({
        kind: 'Service',
        what: describe('Service', metadata, name),
        namespace: namespaceOf(metadata),
        labels: metadata?.labels ?? {},
      });
    }
  }
  // GKE's own DNS pods, which every namespace's egress policy admits.
  objects.push(...GKE_SYSTEM_PODS);
  const customResources = stackCustomResources(resources);
  for (const { chart, release } of stackReleases(resources)) {
    objects.push(...(chart?.objects(release, customResources) ?? []));
  }
  return objects;
}

/** Namespaces the stack says something about: created by it, or holding one of its objects. */
export function knownNamespaces(resources: readonly PolicyResource[]): Set<string> {
  const known = new Set<string>();
  for (const { type, props } of resources) {
    const metadata = props.metadata as Metadata | undefined;
    if (type === 'kubernetes:core/v1:Namespace' && metadata?.name) known.add(metadata.name);
    else if (type === HELM_RELEASE) known.add(String(props.namespace ?? 'default'));
    else if (podTemplateOf(type, props, '') || type === 'kubernetes:core/v1:Service') {
      known.add(namespaceOf(metadata));
    }
  }
  return known;
}
