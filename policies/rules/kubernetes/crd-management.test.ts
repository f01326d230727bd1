import { describe, expect, it } from 'vitest';
import { CRD_MANIFESTS, chartCrds, crdInputs } from '../../../infra/components/crds/index.js';
import { STRIMZI_CHART } from '../../../infra/components/kafka/index.js';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { PINNED_CHARTS } from './charts/index.js';
import { customResourcesServed, helmCrdsManaged, pinnedChartsKnown } from './crd-management.js';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const CRD = 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition';

const strimzi = (version: string, skipCrds?: boolean) =>
  planned(RELEASE, 'strimzi', {
    name: 'strimzi',
    chart: STRIMZI_CHART.chart,
    version,
    namespace: 'kafka',
    values: {},
    ...(skipCrds === undefined ? {} : { skipCrds }),
  });
/** The CRDs as ChartCrds applies them. */
const strimziCrds = () =>
  chartCrds(STRIMZI_CHART.chart, STRIMZI_CHART.version).map((crd) =>
    planned(CRD, crd.metadata.name, crdInputs(crd, STRIMZI_CHART, {})),
  );
const topic = (apiVersion: string) =>
  planned(`kubernetes:${apiVersion}:KafkaTopic`, 'topic', {
    metadata: { name: 't', namespace: 'kafka' },
    spec: { partitions: 1, replicas: 1 },
  });

describe('k8s-helm-chart-known', () => {
  it('flags a chart version nobody has checked: a bump must re-read its labels and CRDs', async () => {
    expect(messagesOf(await violationsOf([pinnedChartsKnown], [strimzi('0.51.0')]))).toEqual([
      expect.stringMatching(
        /^Release kafka\/strimzi installs strimzi-kafka-operator@0.51.0, which is not in the table of pinned charts/,
      ),
    ]);
    expect(await violationsOf([pinnedChartsKnown], [strimzi(STRIMZI_CHART.version)])).toEqual([]);
  });
});

describe('k8s-helm-crds-managed', () => {
  it("flags a release that leaves its CRDs to Helm, and a stack that does not apply that version's CRDs", async () => {
    const messages = messagesOf(await violationsOf([helmCrdsManaged], [strimzi('1.2.0')]));
    expect(messages).toEqual([
      expect.stringContaining(
        "lets Helm install the chart's CRDs, which Helm never upgrades: set skipCrds: true",
      ),
      expect.stringContaining(
        'needs CRDs the stack does not apply at version 1.2.0: kafkas.kafka.strimzi.io',
      ),
    ]);
  });

  it('accepts skipCrds with every CRD of the release applied by the stack', async () => {
    const resources = [strimzi('1.2.0', true), ...strimziCrds()];
    expect(await violationsOf([helmCrdsManaged], resources)).toEqual([]);
  });

  it('lists for each chart with a crds/ directory exactly the CRDs vendored for it', () => {
    const withCrdsDirectory = Object.entries(PINNED_CHARTS).filter(
      ([, chart]) => chart.crds.shipped === 'crds-directory',
    );
    expect(withCrdsDirectory.map(([key]) => key).sort()).toEqual(
      Object.entries(CRD_MANIFESTS)
        .map(([chart, { version }]) => `${chart}@${version}`)
        .sort(),
    );
    for (const [key, chart] of withCrdsDirectory) {
      const [name = '', version = ''] = key.split('@');
      const vendored = chartCrds(name, version).map((crd) => crd.metadata.name);
      expect(chart.crds.shipped === 'crds-directory' && [...chart.crds.names].sort()).toEqual(
        vendored.sort(),
      );
    }
  });
});

describe('k8s-custom-resource-served', () => {
  it('flags a custom resource in an API version the pinned CRDs no longer serve', async () => {
    const resources = [strimzi('1.2.0', true), ...strimziCrds(), topic('kafka.strimzi.io/v1beta2')];
    expect(messagesOf(await violationsOf([customResourcesServed], resources))).toEqual([
      'KafkaTopic topic uses kafka.strimzi.io/v1beta2, which no CRD of the stack serves: rewrite it for kafka.strimzi.io/v1.',
    ]);
    const current = [strimzi('1.2.0', true), ...strimziCrds(), topic('kafka.strimzi.io/v1')];
    expect(await violationsOf([customResourcesServed], current)).toEqual([]);
  });

  it('flags custom resources of a chart whose CRDs the stack does not apply', async () => {
    const resources = [strimzi('1.2.0'), topic('kafka.strimzi.io/v1')];
    expect(messagesOf(await violationsOf([customResourcesServed], resources))).toEqual([
      expect.stringContaining('apply the CRDs of the pinned chart that defines it'),
    ]);
  });

  it("leaves alone groups the cluster provides (GKE's own CRDs)", async () => {
    const backendConfig = planned('kubernetes:cloud.google.com/v1:BackendConfig', 'bc', {
      metadata: { name: 'bc', namespace: 'aia' },
      spec: {},
    });
    expect(await violationsOf([customResourcesServed], [backendConfig])).toEqual([]);
  });
});
