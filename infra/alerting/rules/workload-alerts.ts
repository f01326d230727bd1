import {
  aggregate,
  containerOf,
  deploymentsOf,
  eq,
  num,
  re,
  scrapedBy,
  select,
} from '../promql/index.js';
import { alertRule } from './alert.js';
import { RULE_SETTINGS } from './settings.js';
import type { AlertingRule } from './types.js';

const { restarts, deploymentWindow } = RULE_SETTINGS;

const byPod = ['namespace', 'pod'];
const byDeployment = ['namespace', 'deployment'];
const maxBy = (labels: readonly string[], expr: string) => aggregate('max', labels, expr);

/** Pods, Deployments and scrape targets of one service: restarts, readiness, liveness, rollouts. */
export function workloadAlerts(service: string, namespace: string): AlertingRule[] {
  const container = containerOf(service, namespace);
  const deployments = deploymentsOf(service, namespace);
  const targets = select('up', scrapedBy(service, namespace));
  const deployment = (metric: string) => select(metric, deployments);
  return [
    alertRule({
      name: 'PodRestarting',
      expr: `${maxBy(['namespace', 'pod', 'container'], `increase(${select('kube_pod_container_status_restarts_total', container)}[${restarts.window}])`)} > ${num(restarts.moreThan)}`,
      for: restarts.for,
      severity: 'warning',
      category: 'system_down',
      service,
      summary: `A container of ${service} keeps restarting.`,
      description: `Container {{ $labels.container }} of pod {{ $labels.pod }} ({{ $labels.namespace }}) restarted more than ${num(restarts.moreThan)} times in ${restarts.window}: crashes, OOM kills or failed liveness probes.`,
    }),
    alertRule({
      name: 'PodNotReady',
      expr: [
        `${maxBy(byPod, select('kube_pod_container_status_ready', container))} == 0`,
        `and on (namespace, pod)`,
        `${maxBy(byPod, select('kube_pod_status_phase', [eq('namespace', namespace), re('phase', 'Pending|Running')]))} == 1`,
      ].join('\n'),
      for: RULE_SETTINGS.podNotReadyFor,
      severity: 'warning',
      category: 'system_down',
      service,
      summary: `A pod of ${service} has not been ready for ${RULE_SETTINGS.podNotReadyFor}.`,
      description: `${service} pod {{ $labels.pod }} ({{ $labels.namespace }}) fails its /readyz check (a dependency such as PostgreSQL or Redis does not answer, or the pod is shutting down), so it receives no traffic.`,
    }),
    alertRule({
      name: 'ServiceReplicasUnavailable',
      expr: `${maxBy(byDeployment, deployment('kube_deployment_status_replicas_unavailable'))} > 0`,
      for: RULE_SETTINGS.replicasUnavailableFor,
      severity: 'warning',
      category: 'system_down',
      service,
      summary: `Deployment {{ $labels.deployment }} runs with fewer available replicas than desired.`,
      description: `Deployment {{ $labels.deployment }} of ${service} ({{ $labels.namespace }}) has had unavailable replicas for ${RULE_SETTINGS.replicasUnavailableFor}: pods that are not ready, crash, or cannot be scheduled.`,
    }),
    alertRule({
      name: 'ServiceDown',
      expr: `${aggregate('sum', ['namespace'], targets)} == 0\nor\nabsent(${targets})`,
      for: RULE_SETTINGS.serviceDownFor,
      severity: 'critical',
      category: 'system_down',
      service,
      summary: `No ${service} instance answers.`,
      description: `Prometheus could not scrape any pod of ${service} in namespace {{ $labels.namespace }} for ${RULE_SETTINGS.serviceDownFor}: every instance is down, or none is running.`,
    }),
    alertRule({
      name: 'DeploymentRolledOut',
      expr: [
        `${maxBy(byDeployment, `changes(${deployment('kube_deployment_status_observed_generation')}[${deploymentWindow}])`)} > 0`,
        `and on (namespace, deployment)`,
        `${maxBy(byDeployment, `changes(${deployment('kube_deployment_spec_replicas')}[${deploymentWindow}])`)} == 0`,
        `and on (namespace, deployment)`,
        `${maxBy(byDeployment, deployment('kube_deployment_status_replicas_updated'))} == ${maxBy(byDeployment, deployment('kube_deployment_spec_replicas'))}`,
      ].join('\n'),
      for: '0m',
      severity: 'info',
      category: 'deployment_completed',
      service,
      summary: `Deployment {{ $labels.deployment }} rolled out a new version.`,
      description: `Deployment {{ $labels.deployment }} of ${service} ({{ $labels.namespace }}) changed its specification (usually the image) in the last ${deploymentWindow} and every replica now runs it; changes of the replica count alone, by the autoscaler, are left out.`,
    }),
  ];
}
