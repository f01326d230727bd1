import * as k8s from '@pulumi/kubernetes';
import type { StackValidationPolicy } from '@pulumi/policy';
import { describe, nameOf, namespaceOf, objectsOf } from './objects.js';

/** How a VerticalPodAutoscaler appears in a plan (a CustomResource of autoscaling.k8s.io/v1). */
export const VERTICAL_POD_AUTOSCALER = 'kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler';

export const deploymentVerticalAutoscaler: StackValidationPolicy = {
  name: 'k8s-deployment-vpa',
  description:
    'Every Deployment has a VerticalPodAutoscaler (autoscaling.k8s.io/v1) targeting it in recommendation mode (updateMode Off), so its requests and limits can be checked against what it uses.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const autoscalers = resources
      .filter((resource) => resource.type === VERTICAL_POD_AUTOSCALER)
      .map(
        ({ props }) =>
          props as {
            metadata?: { name?: string; namespace?: string };
            spec?: {
              targetRef?: { kind?: string; name?: string };
              updatePolicy?: { updateMode?: string };
            };
          },
      );
    for (const { urn, name, props } of objectsOf(resources, k8s.apps.v1.Deployment)) {
      const namespace = namespaceOf(props.metadata);
      const deployment = nameOf(props.metadata, name);
      const vpa = autoscalers.find(
        (candidate) =>
          namespaceOf(candidate.metadata) === namespace &&
          candidate.spec?.targetRef?.kind === 'Deployment' &&
          candidate.spec.targetRef.name === deployment,
      );
      const what = describe('Deployment', props.metadata, name);
      if (!vpa) {
        report(
          `${what} has no VerticalPodAutoscaler: add an autoscaling.k8s.io/v1 VerticalPodAutoscaler in '${namespace}' with targetRef { apiVersion: apps/v1, kind: Deployment, name: ${deployment} } and updatePolicy.updateMode Off.`,
          urn,
        );
      } else if ((vpa.spec?.updatePolicy?.updateMode ?? 'Auto') !== 'Off') {
        report(
          `${what} is resized by its VerticalPodAutoscaler (updateMode ${vpa.spec?.updatePolicy?.updateMode ?? 'Auto'}): set updatePolicy.updateMode to Off; its HPA scales on CPU and the catalog owns the sizes.`,
          urn,
        );
      }
    }
  },
};
