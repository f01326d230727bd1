import type { Evacuation, RemovalReason } from './lost-resources.js';
import { urnName } from './state.js';

const because = (reason: RemovalReason): string => {
  switch (reason.kind) {
    case 'adopted':
      return 'the promoted replica: the program imports it as the primary';
    case 'located':
      return `in ${reason.location}`;
    case 'inside':
      return `inside ${urnName(reason.container)}`;
    case 'child':
      return `part of ${urnName(reason.parent)}`;
    case 'kubernetes':
      return 'in the lost cluster';
  }
};

/** `Deployment` for `kubernetes:apps/v1:Deployment`; the cluster's provider is a `provider`. */
const kindOf = (type: string) =>
  type === 'pulumi:providers:kubernetes' ? 'provider' : (type.split(':').pop() ?? type);

/**
 * What leaves the state and why: the cluster's objects counted by kind, every other resource by
 * name; then the edges dropped and what to run next.
 */
export function formatEvacuation(
  evacuation: Evacuation,
  { stack, out }: { readonly stack: string; readonly out: string },
): string {
  const kubernetes = new Map<string, number>();
  const lines: string[] = [];
  for (const { urn, type, reason } of evacuation.removed) {
    if (reason.kind === 'kubernetes') {
      kubernetes.set(type, (kubernetes.get(type) ?? 0) + 1);
    } else {
      lines.push(`  - ${type} ${urnName(urn)}: ${because(reason)}`);
    }
  }
  const kept = evacuation.state.deployment.resources?.length ?? 0;
  const clusterObjects = [...kubernetes.values()].reduce((sum, count) => sum + count, 0);
  return [
    `Leaving the state: ${evacuation.removed.length} resources (${kept} kept).`,
    ...lines,
    `  - ${clusterObjects} Kubernetes objects in the lost cluster: ${[...kubernetes]
      .map(([type, count]) => `${count} ${kindOf(type)}`)
      .join(', ')}`,
    ...(evacuation.droppedEdges.length > 0
      ? [
          `Dependencies dropped from kept resources (${evacuation.droppedEdges.length}):`,
          ...evacuation.droppedEdges.map(({ urn, to }) => `  - ${urnName(urn)} → ${urnName(to)}`),
        ]
      : []),
    ...(evacuation.pendingOperations.length > 0
      ? [
          `Pending operations of an interrupted update (${evacuation.pendingOperations.length}): pulumi stack import drops them; check each by hand, it may or may not have happened:`,
          ...evacuation.pendingOperations.map(
            ({ kind, urn, type }) => `  - ${kind} ${type} ${urnName(urn)}`,
          ),
        ]
      : []),
    `Written to ${out}. Nothing in the cloud was touched. Next (docs/runbooks/incidents/lost-region.md):`,
    `  pulumi stack import --stack ${stack} --file ${out}`,
    '',
  ].join('\n');
}
