import { describe, expect, it } from 'vitest';
import { githubOutputLines, releaseFacts } from './facts.js';

const outputs = {
  project: 'aia-platform-staging',
  edge: {
    apiAddress: '203.0.113.7',
    grafanaAddress: '203.0.113.8',
    hosts: ['api.staging.example.com', 'grafana.staging.example.com'],
    securityPolicy: 'aia-staging-armor',
  },
  namespaces: { services: 'aia', data: 'data', kafka: 'kafka', monitoring: 'mon', ingress: 'ing' },
  services: {
    'aia-api': {
      image: 'us-central1-docker.pkg.dev/aia-platform-staging/aia/services@sha256:ab12',
      port: 8000,
      resources: {},
      scaling: {},
    },
    'economic-governor': {
      image: 'us-central1-docker.pkg.dev/aia-platform-staging/aia/services@sha256:ab12',
      port: 8001,
      resources: {},
      scaling: {},
    },
  },
  observability: {
    prometheusUrl: 'http://kps-prometheus.monitoring.svc.cluster.local:9090',
    otlpEndpoint: 'http://collector.monitoring.svc.cluster.local:4318',
    tracesUrl: 'http://jaeger.monitoring.svc.cluster.local:16686',
    grafanaAdminSecret: 'grafana-admin',
  },
  release: {
    serviceAccount: 'aia-staging-release@aia-platform-staging.iam.gserviceaccount.com',
    attestor: 'projects/aia-platform-staging/attestors/aia-staging-release',
    attestorKeyVersion:
      'projects/aia-platform-staging/locations/us-central1/keyRings/aia-staging-release/cryptoKeys/attestor/cryptoKeyVersions/1',
  },
};

describe('releaseFacts', () => {
  it("takes the image repository, gateway, ports, attestor and colours from the stack's outputs", () => {
    expect(releaseFacts(outputs, 'green')).toEqual({
      project: 'aia-platform-staging',
      image: 'us-central1-docker.pkg.dev/aia-platform-staging/aia/services',
      registry: 'us-central1-docker.pkg.dev',
      gateway_url: 'https://api.staging.example.com',
      namespace: 'aia',
      service_ports: 'aia-api:8000 economic-governor:8001',
      gateway_port: '8000',
      prometheus_forward: 'monitoring/kps-prometheus:9090',
      prometheus_port: '9090',
      active_colour: 'green',
      idle_colour: 'blue',
      service_account: outputs.release.serviceAccount,
      attestor: outputs.release.attestor,
      attestor_key_version: outputs.release.attestorKeyVersion,
    });
  });

  it('refuses a Prometheus URL that is not an in-cluster Service', () => {
    const elsewhere = {
      ...outputs,
      observability: { ...outputs.observability, prometheusUrl: 'https://prom.example.com' },
    };
    expect(() => releaseFacts(elsewhere, 'blue')).toThrow(
      'https://prom.example.com is not an in-cluster Service URL with a port',
    );
  });

  it('writes one key=value line each, and refuses a value that would start another', () => {
    expect(githubOutputLines({ a: '1', b: 'two words' })).toBe('a=1\nb=two words\n');
    expect(() => githubOutputLines({ a: 'x\ny=injected' })).toThrow(
      'a: a value on more than one line',
    );
  });
});
