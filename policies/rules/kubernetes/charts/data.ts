import { labelMap, type PinnedChart, valueAt } from './types.js';

/**
 * neo4j 5.26.21: the server pods (neo4j-statefulset.yaml) carry `app` and `neo4j.name` from
 * `neo4j.name`, and `instance` from the release. Read from the chart's 5.x templates.
 */
export const neo4j: PinnedChart = {
  source: 'github.com/neo4j/helm-charts (5.x): neo4j/templates/neo4j-statefulset.yaml',
  crds: { shipped: 'none' },
  objects: ({ name: release, namespace, values }) => {
    const name = (valueAt(values, 'neo4j', 'name') as string | undefined) ?? release;
    return [
      {
        kind: 'Pod',
        what: `Neo4j server pods of ${release}`,
        namespace,
        labels: {
          ...labelMap(valueAt(values, 'neo4j', 'labels')),
          app: name,
          'helm.neo4j.com/neo4j.name': name,
          'helm.neo4j.com/instance': release,
          'helm.neo4j.com/pod_category': 'neo4j-instance',
        },
      },
    ];
  },
};
