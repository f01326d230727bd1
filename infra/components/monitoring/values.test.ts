import { describe, expect, it } from 'vitest';
import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from '../security-contexts.js';
import { type MonitoringValuesArgs, monitoringValues } from './values.js';

const args: MonitoringValuesArgs = {
  stack: 'staging',
  retention: '7d',
  prometheusStorageGb: 20,
  alertmanagerReplicas: 1,
  grafanaHost: 'grafana.staging.aia-platform.dev',
  grafanaAdminSecretName: 'grafana-admin',
};

describe('monitoringValues', () => {
  it('sizes staging smaller than production, with requests and limits everywhere', () => {
    const staging = monitoringValues(args);
    const production = monitoringValues({ ...args, stack: 'production' });
    expect(staging.prometheus.prometheusSpec.replicas).toBe(1);
    expect(production.prometheus.prometheusSpec.replicas).toBe(2);
    for (const values of [staging, production]) {
      for (const resources of [
        values.prometheus.prometheusSpec.resources,
        values.alertmanager.alertmanagerSpec.resources,
        values.grafana.resources,
        values.grafana.sidecar.resources,
        values.prometheusOperator.resources,
        values.prometheusOperator.prometheusConfigReloader.resources,
        values['kube-state-metrics'].resources,
      ]) {
        expect(Object.keys(resources.requests)).toEqual(['cpu', 'memory']);
        expect(Object.keys(resources.limits)).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('runs Grafana and Prometheus as non-root with a read-only root filesystem for Grafana', () => {
    const values = monitoringValues(args);
    expect(values.grafana.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 472 });
    expect(values.grafana.containerSecurityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(values.grafana.extraEmptyDirMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(values.prometheus.prometheusSpec.securityContext).toMatchObject({ runAsNonRoot: true });
  });

  it('leaves node-exporter and its rules off unless asked', () => {
    expect(monitoringValues(args).nodeExporter).toEqual({ enabled: false });
    expect(monitoringValues(args).defaultRules.rules.nodeExporterAlerting).toBe(false);
    const withNodes = monitoringValues({ ...args, nodeExporter: true });
    expect(withNodes.nodeExporter).toEqual({ enabled: true });
    expect(withNodes.defaultRules.rules.nodeExporterRecording).toBe(true);
  });

  it('adds no trace data source without a tracing URL', () => {
    expect(monitoringValues(args).grafana.additionalDataSources).toEqual([]);
    expect(monitoringValues(args).grafana.sidecar.datasources).toEqual({});
  });

  it('reads Alertmanager configuration from a Secret when given one, mounting what it reads', () => {
    expect(monitoringValues(args).alertmanager.alertmanagerSpec).not.toHaveProperty('configSecret');
    const values = monitoringValues({
      ...args,
      alertmanagerConfig: { secretName: 'alertmanager-config', mountedSecrets: ['pagerduty'] },
    });
    expect(values.alertmanager.alertmanagerSpec).toMatchObject({
      useExistingSecret: true,
      configSecret: 'alertmanager-config',
      secrets: ['pagerduty'],
    });
  });

  it('refuses a retention or replica count Prometheus and Alertmanager would refuse', () => {
    expect(() => monitoringValues({ ...args, retention: '15 days' })).toThrow(
      /not a Prometheus duration/,
    );
    expect(() => monitoringValues({ ...args, alertmanagerReplicas: 0 })).toThrow(/at least 1/);
  });

  it("gives every pod of the chart it configures the platform's hardened contexts", () => {
    const values = monitoringValues(args);
    const charts = {
      operator: values.prometheusOperator,
      kubeStateMetrics: values['kube-state-metrics'],
      grafana: values.grafana,
    };
    for (const [chart, { securityContext, containerSecurityContext }] of Object.entries(charts)) {
      const { runAsUser: user, runAsGroup: group } = securityContext;
      expect(securityContext, chart).toEqual(podSecurityContext({ user, group }));
      expect(containerSecurityContext, chart).toEqual(CONTAINER_SECURITY_CONTEXT);
    }
  });
});
