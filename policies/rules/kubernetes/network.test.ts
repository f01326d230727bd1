import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import { namespaceDefaultDeny, noLoadBalancerServices } from './network.js';
import { APP, defaultDeny, namespace, service, TYPES, urnOf } from './test-fixtures.js';

const namespaceUrn = urnOf(TYPES.namespace, 'apps');
const missingDenyMessage =
  "Namespace apps has no default-deny NetworkPolicy: add one in 'apps' with podSelector {}, policyTypes ['Ingress'] and no ingress rules, then allow each flow explicitly.";

describe('k8s-namespace-default-deny', () => {
  it('accepts a namespace with a default-deny NetworkPolicy', async () => {
    expect(await violationsOf([namespaceDefaultDeny], [namespace(), defaultDeny()])).toEqual([]);
  });

  it('accepts a deny without policyTypes, which Kubernetes reads as Ingress', async () => {
    const resources = [namespace(), defaultDeny('apps', { policyTypes: undefined })];
    expect(await violationsOf([namespaceDefaultDeny], resources)).toEqual([]);
  });

  it('flags a namespace whose only policy is in another namespace', async () => {
    expect(await violationsOf([namespaceDefaultDeny], [namespace(), defaultDeny('data')])).toEqual([
      {
        policy: 'k8s-namespace-default-deny',
        enforcementLevel: 'mandatory',
        urn: namespaceUrn,
        message: missingDenyMessage,
      },
    ]);
  });

  it.each([
    ['allows some ingress', { ingress: [{ from: [{ podSelector: {} }] }] }],
    ['selects only some pods', { podSelector: { matchLabels: { app: 'api' } } }],
    ['governs egress only', { policyTypes: ['Egress'] }],
  ])('does not count a policy that %s', async (_, spec) => {
    const violations = await violationsOf(
      [namespaceDefaultDeny],
      [namespace(), defaultDeny('apps', spec)],
    );
    expect(violations.map((v) => [v.urn, v.message])).toEqual([[namespaceUrn, missingDenyMessage]]);
  });
});

describe('k8s-no-load-balancer-service', () => {
  const lbUrn = urnOf(TYPES.service, APP);

  it('accepts ClusterIP Services', async () => {
    expect(await violationsOf([noLoadBalancerServices], [service()])).toEqual([]);
  });

  it('flags a LoadBalancer Service', async () => {
    expect(
      await violationsOf([noLoadBalancerServices], [service({ type: 'LoadBalancer' })]),
    ).toEqual([
      {
        policy: 'k8s-no-load-balancer-service',
        enforcementLevel: 'mandatory',
        urn: lbUrn,
        message:
          "Service apps/economic-governor is of type LoadBalancer: make it ClusterIP and expose it through the ingress (or, if it is the ingress, list 'apps/economic-governor' in allowedLoadBalancers).",
      },
    ]);
  });

  it('allows the Services listed in allowedLoadBalancers, by name or by namespace', async () => {
    const resources = [
      service({ type: 'LoadBalancer' }),
      service({ name: 'ingress-nginx-controller', namespace: 'ingress', type: 'LoadBalancer' }),
    ];
    const allowing = (allowedLoadBalancers: string[]) => ({
      'k8s-no-load-balancer-service': { allowedLoadBalancers },
    });
    const both = allowing(['apps/economic-governor', 'ingress/*']);
    expect(await violationsOf([noLoadBalancerServices], resources, both)).toEqual([]);
    const onlyIngress = allowing(['ingress/*']);
    const violations = await violationsOf([noLoadBalancerServices], resources, onlyIngress);
    expect(violations.map((v) => v.urn)).toEqual([lbUrn]);
  });

  it('allows an ingress controller Service labelled app.kubernetes.io/component: ingress', async () => {
    const ingress = service({
      name: 'gateway',
      namespace: 'ingress',
      type: 'LoadBalancer',
      labels: { 'app.kubernetes.io/component': 'ingress' },
    });
    expect(await violationsOf([noLoadBalancerServices], [ingress])).toEqual([]);
  });
});
