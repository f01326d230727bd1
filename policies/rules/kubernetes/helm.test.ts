import { describe, expect, it } from 'vitest';
import { planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { pinnedHelmCharts } from './helm.js';
import { release, TYPES, urnOf } from './test-fixtures.js';

const releaseUrn = urnOf(TYPES.release, 'kube-prometheus-stack');

describe('k8s-helm-pinned-version', () => {
  it('accepts a release pinned to an exact chart version, and a chart from the repository', async () => {
    const local = release({ chart: './charts/aia-gateway', version: undefined });
    expect(await violationsOf([pinnedHelmCharts], [release(), local])).toEqual([]);
  });

  it('flags a helm.v3.Release without a version', async () => {
    expect(await violationsOf([pinnedHelmCharts], [release({ version: undefined })])).toEqual([
      {
        policy: 'k8s-helm-pinned-version',
        enforcementLevel: 'mandatory',
        urn: releaseUrn,
        message:
          "Release monitoring/kube-prometheus-stack: chart 'kube-prometheus-stack' has no version: set version to the exact chart version to install (for example 65.1.0), so that every upgrade is a reviewed change.",
      },
    ]);
  });

  it('flags a version range', async () => {
    const [violation] = await violationsOf([pinnedHelmCharts], [release({ version: '^65.0.0' })]);
    expect(violation?.message).toContain("has version '^65.0.0', which is not an exact version");
  });

  it('checks helm.v4.Chart components too', async () => {
    const chart = (version?: string) =>
      planned(TYPES.chart, 'strimzi', {
        chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator',
        namespace: 'kafka',
        version,
      });
    expect(await violationsOf([pinnedHelmCharts], [chart('0.45.0')])).toEqual([]);
    expect(await violationsOf([pinnedHelmCharts], [chart()])).toEqual([
      {
        policy: 'k8s-helm-pinned-version',
        enforcementLevel: 'mandatory',
        urn: urnOf(TYPES.chart, 'strimzi'),
        message:
          "Chart kafka/strimzi: chart 'oci://quay.io/strimzi-helm/strimzi-kafka-operator' has no version: set version to the exact chart version to install (for example 65.1.0), so that every upgrade is a reviewed change.",
      },
    ]);
  });
});
