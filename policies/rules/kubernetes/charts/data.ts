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

/**
 * MinIO operator chart 7.1.1: the operator's pods carry the chart's selector labels (its
 * name, `operator`, and the release). Its CRDs are templates, so Helm upgrades them.
 */
export const minioOperator: PinnedChart = {
  source: 'github.com/minio/operator@v7.1.1: helm/operator/templates',
  crds: { shipped: 'templates' },
  objects: ({ name: release, namespace }) => [
    {
      kind: 'Pod',
      what: `MinIO operator pods of ${release}`,
      namespace,
      labels: { 'app.kubernetes.io/name': 'operator', 'app.kubernetes.io/instance': release },
    },
  ],
};

/**
 * MinIO tenant chart 7.1.1 and what operator 7.1.1 makes of its Tenant: server pods labelled
 * `v1.min.io/tenant`, `v1.min.io/pool`, `v1.min.io/console` plus the pools' metadata labels
 * (`PodMetadata`); the `minio` and `<tenant>-hl` Services carry no labels at all unless
 * `serviceMetadata.minioServiceLabels` gives them some (`pkg/resources/services/service.go`).
 */
export const minioTenant: PinnedChart = {
  source:
    'github.com/minio/operator@v7.1.1: helm/tenant/templates/tenant.yaml, pkg/resources/statefulsets/minio-statefulset.go, pkg/resources/services/service.go',
  crds: { shipped: 'none' },
  objects: ({ namespace, values }) => {
    const tenant = (valueAt(values, 'tenant', 'name') as string | undefined) ?? 'myminio';
    const pools =
      (valueAt(values, 'tenant', 'pools') as { name?: string; labels?: unknown }[]) ?? [];
    const poolsMetadata = labelMap(valueAt(values, 'tenant', 'poolsMetadata', 'labels'));
    const serviceLabels = labelMap(
      valueAt(values, 'tenant', 'serviceMetadata', 'minioServiceLabels'),
    );
    return [
      ...pools.map((pool, index) => ({
        kind: 'Pod' as const,
        what: `MinIO server pods of tenant ${tenant}`,
        namespace,
        labels: {
          ...poolsMetadata,
          ...labelMap(pool.labels),
          'v1.min.io/tenant': tenant,
          'v1.min.io/console': `${tenant}-console`,
          'v1.min.io/pool': pool.name ?? `pool-${index}`,
        },
      })),
      {
        kind: 'Service',
        what: `MinIO Service minio of tenant ${tenant}`,
        namespace,
        labels: serviceLabels,
      },
      { kind: 'Service', what: `MinIO Service ${tenant}-hl`, namespace, labels: {} },
    ];
  },
};
