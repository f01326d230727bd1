import { describe, expect, it } from 'vitest';
import {
  backendServiceAnnotations,
  edgeObjectName,
  frontendConfigSpec,
  ingressAnnotations,
  loadBalancerIngressRule,
  type Site,
} from './manifests.js';

const site: Site = {
  host: 'grafana.aia-platform.dev',
  service: { name: 'kube-prometheus-stack-grafana', port: 80, namespace: 'monitoring' },
  paths: ['/'],
  healthCheckPath: '/api/health',
  httpRedirect: true,
};

describe('ingress manifests', () => {
  it('gives a backend Service owner the NEG and BackendConfig annotations', () => {
    expect(backendServiceAnnotations(edgeObjectName('api'))).toEqual({
      'cloud.google.com/neg': '{"ingress": true}',
      'cloud.google.com/backend-config': '{"default": "api-edge"}',
    });
    expect(
      JSON.parse(backendServiceAnnotations('x')['cloud.google.com/backend-config'] ?? ''),
    ).toEqual({
      default: 'x',
    });
  });

  it('admits only the Google front ends and health checkers on the serving port', () => {
    expect(loadBalancerIngressRule(3000)).toEqual({
      from: [{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }],
      ports: [{ protocol: 'TCP', port: 3000 }],
    });
  });

  it('either redirects HTTP to HTTPS or refuses HTTP, never both', () => {
    const refusing = { ...site, httpRedirect: false };
    expect(frontendConfigSpec('tls', site)).toHaveProperty('redirectToHttps.enabled', true);
    expect(frontendConfigSpec('tls', refusing)).not.toHaveProperty('redirectToHttps');
    const names = { addressName: 'ip', objectName: 'grafana-edge' };
    expect(ingressAnnotations(site, names)).not.toHaveProperty('kubernetes.io/ingress.allow-http');
    expect(ingressAnnotations(refusing, names)).toHaveProperty(
      'kubernetes.io/ingress.allow-http',
      'false',
    );
  });
});
