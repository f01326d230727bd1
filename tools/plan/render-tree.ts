import type { RecordedResource } from './recorder.js';

/** `gcp:compute/network:Network` → `gcp:compute:Network`, as `pulumi preview` prints types. */
export const displayType = (type: string) => type.replace(/^([^:]+):([^/:]+)\/[^:]+:/, '$1:$2:');

/** Custom resources (those a provider creates) under `urn`, at any depth. */
function countUnder(urn: string, children: Map<string | undefined, RecordedResource[]>): number {
  return (children.get(urn) ?? []).reduce(
    (sum, child) => sum + (child.custom ? 1 : 0) + countUnder(child.urn, children),
    0,
  );
}

/**
 * The plan as `pulumi preview` would show it: a tree of resources to create, components with the
 * number of resources they hold, and a summary.
 */
export function renderTree(
  project: string,
  stack: string,
  resources: readonly RecordedResource[],
): string {
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const resource of resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const rows: [string, string, string][] = [['pulumi:pulumi:Stack', `${project}-${stack}`, '']];
  const walk = (parent: string | undefined, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((resource, i) => {
      const last = i === list.length - 1;
      const count = resource.custom ? '' : `${countUnder(resource.urn, children)} resources`;
      rows.push([
        `${indent}${last ? '└─ ' : '├─ '}${displayType(resource.type)}`,
        resource.name,
        count,
      ]);
      walk(resource.urn, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  walk(undefined, '');
  const typeWidth = Math.max(4, ...rows.map(([type]) => type.length)) + 2;
  const nameWidth = Math.max(4, ...rows.map(([, name]) => name.length)) + 2;
  const lines = [
    `Plan for stack ${stack} of ${project} (offline: the program under Pulumi mocks)`,
    '',
    `     ${'Type'.padEnd(typeWidth)}${'Name'.padEnd(nameWidth)}Contains`,
    ...rows.map(([type, name, count]) =>
      ` +   ${type.padEnd(typeWidth)}${name.padEnd(nameWidth)}${count}`.trimEnd(),
    ),
    '',
    'Resources:',
    `    + ${resources.filter((r) => r.custom).length} to create (${resources.filter((r) => !r.custom).length} components)`,
  ];
  return lines.join('\n');
}
