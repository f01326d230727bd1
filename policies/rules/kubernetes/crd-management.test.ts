import { describe, expect, it } from 'vitest';
import { STRIMZI_CHART } from '../../../infra/components/kafka/index.js';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { PINNED_CHARTS } from './charts/index.js';
import { customResourcesServed, helmCrdsManaged, pinnedChartsKnown } from './crd-management.js';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const CONFIG_FILE = 'kubernetes:yaml/v2:ConfigFile';
const STRIMZI_CRDS =
  'https://github.com/strimzi/strimzi-kafka-operator/releases/download/1.2.0/strimzi-crds-1.2.0.yaml';

const strimzi = (version: string, skipCrds?: boolean) =>
  planned(RELEASE, 'strimzi', {
    name: 'strimzi',
    chart: STRIMZI_CHART.chart,
    version,
    namespace: 'kafka',
    values: {},
    ...(skipCrds === undefined ? {} : { skipCrds }),
  });
/** The CRDs as ChartCrds applies them: the release's CRD manifest, by URL. */
const strimziCrds = (file = STRIMZI_CRDS) => [
  planned(CONFIG_FILE, 'strimzi-crds-manifest', { file }),
];
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
        `needs the CRDs of Strimzi 1.2.0, which the stack does not apply: apply ${STRIMZI_CRDS} with ChartCrds`,
      ),
    ]);
  });

  it("flags another release's CRD manifest: the stack must apply the release's own version", async () => {
    const older = STRIMZI_CRDS.replaceAll('1.2.0', '0.51.0');
    const messages = messagesOf(
      await violationsOf([helmCrdsManaged], [strimzi('1.2.0', true), ...strimziCrds(older)]),
    );
    expect(messages).toEqual([expect.stringContaining('needs the CRDs of Strimzi 1.2.0')]);
  });

  it('accepts skipCrds with every CRD of the release applied by the stack', async () => {
    const resources = [strimzi('1.2.0', true), ...strimziCrds()];
    expect(await violationsOf([helmCrdsManaged], resources)).toEqual([]);
  });

  it("names for each chart with a crds/ directory the manifest of its operator's own version", () => {
    for (const [key, chart] of Object.entries(PINNED_CHARTS)) {
      if (chart.crds.shipped !== 'crds-directory') continue;
      const version = chart.crds.operator.slice(chart.crds.operator.lastIndexOf(' ') + 1);
      expect(chart.crds.manifest, key).toContain(`/releases/download/${version}/`);
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
