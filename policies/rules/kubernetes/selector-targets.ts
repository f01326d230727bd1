import type { StackValidationPolicy } from '@pulumi/policy';
import type { DeclaredObject } from './charts/index.js';
import { describe, kindOf, type Metadata, namespaceOf } from './objects.js';
import { type LabelSelector, labelsText, selectorMatches, selectsEverything } from './selectors.js';
import { declaredObjects, knownNamespaces } from './stack-objects.js';

/** One selector of the stack: what it must find, where, and how to name it in a message. */
interface Selection {
  readonly urn: string;
  readonly what: string;
  readonly targets: 'Pod' | 'Service';
  readonly selector: LabelSelector;
  /** `undefined`: every namespace. */
  readonly namespaces: readonly string[] | undefined;
}

interface MonitorSpec {
  readonly selector?: LabelSelector;
  readonly namespaceSelector?: { readonly any?: boolean; readonly matchNames?: string[] };
}

interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly ingress?: readonly { readonly from?: readonly Peer[] }[];
  readonly egress?: readonly { readonly to?: readonly Peer[] }[];
}
interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
}

/** The namespace a peer's namespaceSelector names by `kubernetes.io/metadata.name`, if it does. */
const peerNamespace = (peer: Peer, own: string): string | undefined => {
  if (!peer.namespaceSelector) return own;
  return peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
};

function selections(
  resources: Parameters<StackValidationPolicy['validateStack']>[0]['resources'],
): Selection[] {
  const found: Selection[] = [];
  for (const { urn, type, name, props } of resources) {
    const metadata = props.metadata as Metadata | undefined;
    const namespace = namespaceOf(metadata);
    const what = describe(kindOf(type), metadata, name);
    if (
      type === 'kubernetes:monitoring.coreos.com/v1:ServiceMonitor' ||
      type === 'kubernetes:monitoring.coreos.com/v1:PodMonitor'
    ) {
      const spec = (props.spec ?? {}) as MonitorSpec;
      const scope = spec.namespaceSelector;
      found.push({
        urn,
        what,
        targets: type.endsWith(':PodMonitor') ? 'Pod' : 'Service',
        selector: spec.selector ?? {},
        namespaces: scope?.any ? undefined : (scope?.matchNames ?? [namespace]),
      });
    } else if (type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy') {
      const spec = (props.spec ?? {}) as NetworkPolicySpec;
      found.push({
        urn,
        what,
        targets: 'Pod',
        selector: spec.podSelector ?? {},
        namespaces: [namespace],
      });
      const peers = [
        ...(spec.ingress ?? []).flatMap((rule) => rule.from ?? []),
        ...(spec.egress ?? []).flatMap((rule) => rule.to ?? []),
      ];
      for (const peer of peers) {
        const peerNs = peerNamespace(peer, namespace);
        if (!peer.podSelector || !peerNs) continue;
        found.push({
          urn,
          what: `${what} (peer in ${peerNs})`,
          targets: 'Pod',
          selector: peer.podSelector,
          namespaces: [peerNs],
        });
      }
    } else if (type === 'kubernetes:core/v1:Service') {
      const selector = (props.spec as { selector?: Record<string, string> } | undefined)?.selector;
      // A Service without a selector has its endpoints managed by hand (or is an ExternalName).
      if (!selector) continue;
      found.push({
        urn,
        what,
        targets: 'Pod',
        selector: { matchLabels: selector },
        namespaces: [namespace],
      });
    }
  }
  return found;
}

const matches = (selection: Selection) => (object: DeclaredObject) =>
  object.kind === selection.targets &&
  (selection.namespaces === undefined || selection.namespaces.includes(object.namespace)) &&
  selectorMatches(selection.selector, object.labels);

export const selectorsMatchSomething: StackValidationPolicy = {
  name: 'k8s-selector-targets',
  description:
    'Every ServiceMonitor, PodMonitor, NetworkPolicy and Service selector matches a Pod or Service that the stack or a pinned chart declares.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const objects = declaredObjects(resources);
    const known = knownNamespaces(resources);
    // A stack that creates its namespaces knows them all; a component checked alone (no
    // Namespace objects) leaves the namespaces it says nothing about to the whole stack.
    const complete = resources.some((r) => r.type === 'kubernetes:core/v1:Namespace');
    for (const selection of selections(resources)) {
      if (selectsEverything(selection.selector)) continue;
      const unknown = selection.namespaces && !selection.namespaces.some((ns) => known.has(ns));
      if (unknown && !complete) continue;
      if (objects.some(matches(selection))) continue;
      const where = selection.namespaces
        ? `namespace ${selection.namespaces.join(', ')}`
        : 'any namespace';
      const candidates = objects
        .filter(
          (o) =>
            o.kind === selection.targets &&
            (!selection.namespaces || selection.namespaces.includes(o.namespace)),
        )
        .map((o) => `${o.what} (${labelsText(o.labels)})`);
      report(
        `${selection.what} selects ${selection.targets}s labelled ${selectorText(selection.selector)} in ${where}, and nothing the stack or its pinned charts declare carries those labels, so it watches or admits nothing: select labels one of these carries: ${candidates.join('; ') || 'none declared there'}.`,
        selection.urn,
      );
    }
  },
};

const selectorText = (selector: LabelSelector): string =>
  [
    labelsText(selector.matchLabels ?? {}),
    ...(selector.matchExpressions ?? []).map(
      (e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`,
    ),
  ]
    .filter((part) => part !== 'no labels')
    .join(',');
