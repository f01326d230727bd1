import {
  type ChartCrds,
  PINNED_CHARTS,
  pinnedChartKey,
} from '../../../policies/rules/kubernetes/charts/index.js';

/** The CRD facts of a chart that ships CRDs in `crds/`: its operator, manifest URL, served APIs. */
export type ChartCrdRelease = Extract<ChartCrds, { shipped: 'crds-directory' }>;

/**
 * The CRDs of `chart` at `version`, from the table of pinned charts
 * (`policies/rules/kubernetes/charts/`, keyed `<chart>@<version>`): the URL of the release's
 * published CRD manifest and the API versions it serves. Throws, saying what to do, when the
 * version is not in the table or its entry names no CRDs: a chart bump must bring the new
 * release's CRDs, or a new operator would run against old ones.
 */
export function chartCrdRelease(chart: string, version: string): ChartCrdRelease {
  const key = pinnedChartKey(chart, version);
  const pinned = PINNED_CHARTS[key];
  if (!pinned) {
    throw new Error(
      `chart ${key} is not in the table of pinned charts: add it to policies/rules/kubernetes/charts/ with the URL of its release's CRD manifest and the API versions those CRDs serve (docs/crds.md)`,
    );
  }
  if (pinned.crds.shipped !== 'crds-directory') {
    throw new Error(`chart ${key} ships no CRDs in crds/: there is nothing for ChartCrds to apply`);
  }
  return pinned.crds;
}

/** `group/version` → kinds the pinned chart's CRDs serve: what its operator accepts. */
export function servedApis(chart: string, version: string): Map<string, Set<string>> {
  return new Map(
    Object.entries(chartCrdRelease(chart, version).served).map(([api, kinds]) => [
      api,
      new Set(kinds),
    ]),
  );
}
