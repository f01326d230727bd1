import * as k8s from '@pulumi/kubernetes';
import { type ResourceValidationPolicy, validateResourceOfType } from '@pulumi/policy';

/** An exact SemVer version (`65.1.0`, `v1.2.3-rc.1`), not a range such as `^65` or `>=1.0`. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** A chart from the repository's own tree or a versioned archive URL is pinned by what it names. */
const pinnedByLocation = (chart: string) => /^(\.{0,2}\/|file:)|\.tgz$/.test(chart);

interface ChartCoordinates {
  readonly chart?: string;
  readonly version?: string;
  readonly name?: string;
  readonly namespace?: string;
}

const checkVersion =
  (kind: string) =>
  (
    { chart = '', version, name, namespace = 'default' }: ChartCoordinates,
    args: { name: string },
    report: (message: string) => void,
  ) => {
    if (pinnedByLocation(chart)) return;
    if (version && EXACT_VERSION.test(version)) return;
    const found = version ? `version '${version}', which is not an exact version` : 'no version';
    report(
      `${kind} ${namespace}/${name ?? args.name}: chart '${chart}' has ${found}: set version to the exact chart version to install (for example 65.1.0), so that every upgrade is a reviewed change.`,
    );
  };

export const pinnedHelmCharts: ResourceValidationPolicy = {
  name: 'k8s-helm-pinned-version',
  description:
    'Every Helm release (helm.v3.Release, helm.v4.Chart) pins its chart to an exact version.',
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(k8s.helm.v3.Release, checkVersion('Release')),
    validateResourceOfType(k8s.helm.v4.Chart, checkVersion('Chart')),
  ],
};
