import * as k8s from '@pulumi/kubernetes';
import type { StackValidationPolicy } from '@pulumi/policy';
import { describe, nameOf, namespaceOf, objectsOf } from './objects.js';
import { podTemplateOf } from './pod-templates.js';
import { labelsText, selectorMatches } from './selectors.js';

const DEPLOYMENT = 'kubernetes:apps/v1:Deployment';

export const deploymentDisruptionBudget: StackValidationPolicy = {
  name: 'k8s-deployment-pdb',
  description:
    'Every Deployment has a PodDisruptionBudget in its namespace whose selector matches its pod labels.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const budgets = objectsOf(resources, k8s.policy.v1.PodDisruptionBudget);
    for (const { urn, name, props } of objectsOf(resources, k8s.apps.v1.Deployment)) {
      const namespace = namespaceOf(props.metadata);
      const labels = podTemplateOf(DEPLOYMENT, props, name)?.labels ?? {};
      const covered = budgets.some(
        (budget) =>
          namespaceOf(budget.props.metadata) === namespace &&
          selectorMatches(budget.props.spec?.selector, labels),
      );
      if (covered) continue;
      report(
        `${describe('Deployment', props.metadata, name)} has no PodDisruptionBudget selecting its pods (${labelsText(labels)}): add a policy/v1 PodDisruptionBudget in namespace '${namespace}' whose selector matches those labels.`,
        urn,
      );
    }
  },
};

export const productionAutoscaling: StackValidationPolicy = {
  name: 'k8s-production-hpa',
  description:
    'Every Deployment has a HorizontalPodAutoscaler targeting it with at least minReplicas (default 2) replicas.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      minReplicas: {
        type: 'integer',
        minimum: 1,
        default: 2,
        description: 'The least minReplicas an HPA may set.',
      },
    },
  },
  validateStack: ({ resources, getConfig }, report) => {
    const { minReplicas: floor = 2 } = getConfig<{ minReplicas?: number }>();
    const autoscalers = objectsOf(
      resources,
      k8s.autoscaling.v2.HorizontalPodAutoscaler,
      k8s.autoscaling.v1.HorizontalPodAutoscaler,
    );
    for (const { urn, name, props } of objectsOf(resources, k8s.apps.v1.Deployment)) {
      const namespace = namespaceOf(props.metadata);
      const deployment = nameOf(props.metadata, name);
      const targeting = autoscalers.filter(({ props: hpa }) => {
        const target = hpa.spec?.scaleTargetRef;
        return (
          namespaceOf(hpa.metadata) === namespace &&
          target?.kind === 'Deployment' &&
          target.name === deployment
        );
      });
      if (targeting.length === 0) {
        report(
          `${describe('Deployment', props.metadata, name)} has no HorizontalPodAutoscaler: add an autoscaling/v2 HorizontalPodAutoscaler in '${namespace}' with scaleTargetRef { apiVersion: apps/v1, kind: Deployment, name: ${deployment} } and minReplicas >= ${floor}.`,
          urn,
        );
      }
      for (const hpa of targeting) {
        // Kubernetes defaults minReplicas to 1.
        const min = hpa.props.spec?.minReplicas ?? 1;
        if (min >= floor) continue;
        report(
          `${describe('HorizontalPodAutoscaler', hpa.props.metadata, hpa.name)} keeps Deployment ${namespace}/${deployment} at minReplicas ${min}: set spec.minReplicas to ${floor} or more, so one pod's loss or eviction never takes the service down.`,
          hpa.urn,
        );
      }
    }
  },
};
