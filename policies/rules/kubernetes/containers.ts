import type { ResourceValidationPolicy } from '@pulumi/policy';
import { containersOf, validatePodTemplates } from './pod-templates.js';

const RESOURCE_FIELDS = [
  { side: 'requests', name: 'cpu', what: 'CPU request' },
  { side: 'requests', name: 'memory', what: 'memory request' },
  { side: 'limits', name: 'cpu', what: 'CPU limit' },
  { side: 'limits', name: 'memory', what: 'memory limit' },
] as const;

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

export const containerResources: ResourceValidationPolicy = {
  name: 'k8s-container-resources',
  description:
    'Every container and init container of a workload sets CPU and memory requests and limits.',
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    for (const { container, label } of containersOf(template.spec)) {
      for (const { side, name, what } of RESOURCE_FIELDS) {
        if (isSet(container.resources?.[side]?.[name])) continue;
        report(
          `${label} has no ${what}: set resources.${side}.${name} (the service catalog has the figure).`,
        );
      }
    }
  }),
};

const PROBES = [
  { field: 'livenessProbe', what: 'liveness', endpoint: '/healthz' },
  { field: 'readinessProbe', what: 'readiness', endpoint: '/readyz' },
] as const;

export const containerProbes: ResourceValidationPolicy = {
  name: 'k8s-container-probes',
  description:
    'Every long-running container has liveness and readiness probes (init containers and Job or CronJob pods are exempt).',
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    if (template.runsToCompletion) return;
    for (const { container, label, init } of containersOf(template.spec)) {
      if (init) continue;
      for (const { field, what, endpoint } of PROBES) {
        if (container[field]) continue;
        report(
          `${label} has no ${what} probe: set ${field} (the platform services serve ${endpoint}).`,
        );
      }
    }
  }),
};

/** Why `image` is not pinned, or `undefined` when it names an explicit tag or a digest. */
export function imagePinProblem(image: string | undefined): string | undefined {
  if (!image) return 'has no image';
  if (/@[a-z0-9]+:[0-9a-f]{32,}$/i.test(image)) return undefined;
  // A registry port (`host:5000/app`) has a colon too: the tag is after the last path segment's.
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon === -1) return `runs image '${image}' without a tag (Kubernetes pulls :latest)`;
  if (lastSegment.slice(colon + 1) === 'latest') return `runs image '${image}', whose tag moves`;
  return undefined;
}

export const pinnedImages: ResourceValidationPolicy = {
  name: 'k8s-pinned-image',
  description:
    'Every container image is pinned by an explicit version tag or a digest: never untagged, never :latest.',
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    for (const { container, label } of containersOf(template.spec)) {
      const problem = imagePinProblem(container.image);
      if (!problem) continue;
      report(
        `${label} ${problem}: pin an explicit version tag (app:1.4.2) or a digest (app@sha256:…), set from stack config.`,
      );
    }
  }),
};
