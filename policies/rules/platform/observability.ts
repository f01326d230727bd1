import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { SERVICE_LABEL, serviceDeployments } from './workloads.js';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes object inputs are untyped JSON
type Json = Record<string, any>;

const SEVERITIES = ['critical', 'warning', 'info'];

const ofKind = (resources: readonly PolicyResource[], kind: string) =>
  resources.filter((resource) => (resource.props as Json).kind === kind);

const labelled = (props: Json, service: string) =>
  props.metadata?.labels?.[SERVICE_LABEL] === service;

/** Each deployed service has alert rules (a PrometheusRule) and a Grafana dashboard ConfigMap. */
export const serviceObservability: StackValidationPolicy = {
  name: 'platform-service-observability',
  description: 'Each deployed service has alert rules and a dashboard, labelled with its name.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, reportViolation) => {
    const rules = ofKind(resources, 'PrometheusRule').map((r) => r.props as Json);
    const dashboards = ofKind(resources, 'ConfigMap')
      .map((r) => r.props as Json)
      .filter((props) => props.metadata?.labels?.grafana_dashboard === '1');
    const seen = new Set<string>();
    for (const deployment of serviceDeployments(resources)) {
      if (seen.has(deployment.service)) continue;
      seen.add(deployment.service);
      if (!rules.some((props) => labelled(props, deployment.service))) {
        reportViolation(
          `Service ${deployment.service} is deployed without alert rules: add a PrometheusRule labelled ${SERVICE_LABEL}: ${deployment.service}.`,
          deployment.resource.urn,
        );
      }
      if (!dashboards.some((props) => labelled(props, deployment.service))) {
        reportViolation(
          `Service ${deployment.service} is deployed without a dashboard: add a ConfigMap labelled grafana_dashboard: "1" and ${SERVICE_LABEL}: ${deployment.service}.`,
          deployment.resource.urn,
        );
      }
    }
  },
};

/** Every alert carries a severity Alertmanager routes on, a summary and a runbook link. */
export const alertMetadata: StackValidationPolicy = {
  name: 'platform-alert-metadata',
  description: 'Each alert has severity critical, warning or info, a summary and a runbook_url.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, reportViolation) => {
    for (const resource of ofKind(resources, 'PrometheusRule')) {
      const props = resource.props as Json;
      const where = `PrometheusRule ${props.metadata?.namespace ?? 'default'}/${props.metadata?.name}`;
      for (const group of (props.spec?.groups ?? []) as Json[]) {
        for (const rule of (group.rules ?? []) as Json[]) {
          if (!rule.alert) continue;
          const missing = [
            SEVERITIES.includes(rule.labels?.severity)
              ? undefined
              : `labels.severity (one of ${SEVERITIES.join(', ')})`,
            rule.annotations?.summary ? undefined : 'annotations.summary',
            rule.annotations?.runbook_url ? undefined : 'annotations.runbook_url',
          ].filter(Boolean);
          if (missing.length > 0) {
            reportViolation(
              `${where}: alert ${rule.alert} lacks ${missing.join(', ')}.`,
              resource.urn,
            );
          }
        }
      }
    }
  },
};
