import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validatePodTemplates } from './pod-templates.js';

export const noHostPathVolumes: ResourceValidationPolicy = {
  name: 'k8s-no-host-path-volumes',
  description: 'No workload mounts a hostPath volume: node files are out of bounds for pods.',
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    for (const volume of template.spec.volumes ?? []) {
      if (!volume.hostPath) continue;
      report(
        `volume '${volume.name}' is a hostPath volume (${volume.hostPath.path}): use a PersistentVolumeClaim, an emptyDir or a ConfigMap or Secret volume.`,
      );
    }
  }),
};

const HOST_NAMESPACES = [
  { field: 'hostNetwork', what: "the node's network" },
  { field: 'hostPID', what: "the node's process namespace" },
  { field: 'hostIPC', what: "the node's IPC namespace" },
] as const;

export const noHostNamespaces: ResourceValidationPolicy = {
  name: 'k8s-no-host-namespaces',
  description: "No workload shares the node's network, PID or IPC namespace.",
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    for (const { field, what } of HOST_NAMESPACES) {
      if (template.spec[field] !== true) continue;
      report(`its pods share ${what}: remove ${template.specPath}.${field}.`);
    }
  }),
};
