import * as k8s from '@pulumi/kubernetes';
import { type ResourceValidationPolicy, validateResourceOfType } from '@pulumi/policy';
import { containersOf, validatePodTemplates } from './pod-templates.js';

/** Software archived upstream (no releases, no security fixes), and what replaces it here. */
interface Archived {
  readonly what: string;
  /** Matches an image reference: registry/repository, with or without a tag or digest. */
  readonly image: RegExp;
  /** Matches a Helm chart repository or OCI chart reference. */
  readonly chartSource: RegExp;
  readonly instead: string;
}

export const ARCHIVED_SOFTWARE: readonly Archived[] = [
  {
    what: 'MinIO (archived upstream in April 2026)',
    image: /(^|\/)minio\/(minio|operator|mc|console|operator-sidecar)([:@]|$)/,
    chartSource: /(^|[/.])min\.io\b|\/minio\//,
    instead:
      'keep objects in Cloud Storage buckets of the ObjectStorage component, reached over the S3 API (docs/object-storage.md)',
  },
];

const archivedImage = (image: string | undefined) =>
  image ? ARCHIVED_SOFTWARE.find((entry) => entry.image.test(image)) : undefined;

/** Every string under `values` that names an archived image, with its path. */
function archivedImagesIn(values: unknown, path = 'values'): { path: string; entry: Archived }[] {
  if (typeof values === 'string') {
    const entry = archivedImage(values);
    return entry ? [{ path, entry }] : [];
  }
  if (!values || typeof values !== 'object') return [];
  return Object.entries(values).flatMap(([key, value]) =>
    archivedImagesIn(value, `${path}.${key}`),
  );
}

interface ReleaseInputs {
  readonly name?: string;
  readonly chart?: string;
  readonly namespace?: string;
  readonly values?: unknown;
  readonly repositoryOpts?: { readonly repo?: string };
}

const checkRelease =
  (kind: string) =>
  (release: ReleaseInputs, args: { name: string }, report: (message: string) => void) => {
    const label = `${kind} ${release.namespace ?? 'default'}/${release.name ?? args.name}`;
    const source = `${release.repositoryOpts?.repo ?? ''} ${release.chart ?? ''}`;
    const chartEntry = ARCHIVED_SOFTWARE.find((entry) => entry.chartSource.test(source));
    if (chartEntry) {
      report(
        `${label} installs chart '${release.chart}' of ${chartEntry.what}: remove the release and ${chartEntry.instead}.`,
      );
    }
    for (const { path, entry } of archivedImagesIn(release.values)) {
      report(`${label} sets ${path} to an image of ${entry.what}: ${entry.instead}.`);
    }
  };

export const noArchivedSoftware: ResourceValidationPolicy = {
  name: 'k8s-no-archived-software',
  description:
    'No workload runs, and no Helm release installs, software archived upstream (no security fixes): MinIO.',
  enforcementLevel: 'mandatory',
  validateResource: [
    validatePodTemplates((template, report) => {
      for (const { container, label } of containersOf(template.spec)) {
        const entry = archivedImage(container.image);
        if (entry) {
          report(`${label} runs '${container.image}' of ${entry.what}: ${entry.instead}.`);
        }
      }
    }),
    validateResourceOfType(k8s.helm.v3.Release, checkRelease('Release')),
    validateResourceOfType(k8s.helm.v4.Chart, checkRelease('Chart')),
  ],
};
