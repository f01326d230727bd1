import type { ResourceValidationPolicy } from '@pulumi/policy';
import { containersOf, validatePodTemplates } from './pod-templates.js';

export const runAsNonRoot: ResourceValidationPolicy = {
  name: 'k8s-run-as-non-root',
  description:
    'Every container runs as non-root: runAsNonRoot true on the container or the pod, and no runAsUser 0.',
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    const pod = template.spec.securityContext;
    for (const { container, label } of containersOf(template.spec)) {
      // Container settings override the pod's, field by field, as the kubelet applies them.
      const nonRoot = container.securityContext?.runAsNonRoot ?? pod?.runAsNonRoot;
      const user = container.securityContext?.runAsUser ?? pod?.runAsUser;
      if (user === 0) {
        report(
          `${label} runs as root (runAsUser 0): run as a non-zero UID and set securityContext.runAsNonRoot: true.`,
        );
      } else if (nonRoot !== true) {
        report(
          `${label} may run as root: set securityContext.runAsNonRoot: true on the container or in ${template.specPath}.securityContext.`,
        );
      }
    }
  }),
};

export const readOnlyRootFilesystem: ResourceValidationPolicy = {
  name: 'k8s-read-only-root-filesystem',
  description: 'Every container mounts its root filesystem read-only.',
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    for (const { container, label } of containersOf(template.spec)) {
      if (container.securityContext?.readOnlyRootFilesystem === true) continue;
      report(
        `${label} has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where it must write).`,
      );
    }
  }),
};

export const noPrivilegeEscalation: ResourceValidationPolicy = {
  name: 'k8s-no-privilege-escalation',
  description:
    'No container is privileged or may gain privileges: allowPrivilegeEscalation is explicitly false.',
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    for (const { container, label } of containersOf(template.spec)) {
      const context = container.securityContext;
      if (context?.privileged === true) {
        report(`${label} is privileged: remove securityContext.privileged.`);
      }
      // Unset means allowed: Kubernetes defaults allowPrivilegeEscalation to true.
      if (context?.allowPrivilegeEscalation !== false) {
        report(
          `${label} allows privilege escalation: set securityContext.allowPrivilegeEscalation: false.`,
        );
      }
    }
  }),
};

export const dropAllCapabilities: ResourceValidationPolicy = {
  name: 'k8s-drop-all-capabilities',
  description: "Every container drops all Linux capabilities (capabilities.drop includes 'ALL').",
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    for (const { container, label } of containersOf(template.spec)) {
      const dropped = container.securityContext?.capabilities?.drop ?? [];
      if (dropped.some((capability) => capability.toUpperCase() === 'ALL')) continue;
      report(
        `${label} keeps its default Linux capabilities: set securityContext.capabilities.drop: ['ALL'] (add back only what it needs).`,
      );
    }
  }),
};

/** Seccomp profiles that confine a container: the runtime's default, or one on the node. */
const CONFINING_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

export const seccompConfined: ResourceValidationPolicy = {
  name: 'k8s-seccomp-runtime-default',
  description:
    'Every container runs under a seccomp profile: RuntimeDefault (or Localhost) on the container or the pod, never Unconfined.',
  enforcementLevel: 'mandatory',
  validateResource: validatePodTemplates((template, report) => {
    const pod = template.spec.securityContext?.seccompProfile?.type;
    for (const { container, label } of containersOf(template.spec)) {
      // The container's profile overrides the pod's.
      const profile = container.securityContext?.seccompProfile?.type ?? pod;
      if (profile && CONFINING_SECCOMP.has(profile)) continue;
      report(
        `${label} runs ${profile === 'Unconfined' ? 'Unconfined' : 'without a seccomp profile'}: set seccompProfile: { type: RuntimeDefault } in ${template.specPath}.securityContext (infra/components/security-contexts.ts).`,
      );
    }
  }),
};
