import { describe, expect, it } from 'vitest';
import { serviceDefinition } from '../../../services/catalog.js';
import { budgetItem, namespaceBudget } from './budget.js';
import { limitRangeSpec } from './limit-range.js';
import { qosClass } from './qos-class.js';
import { resourceQuotaSpec } from './resource-quota.js';
import { serviceBudgetItems, surgePods } from './service-budget.js';

const small = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

describe('namespace budgets', () => {
  it('rounds a rolling update surge up, as Kubernetes does', () => {
    expect([1, 3, 4, 5, 20].map(surgePods)).toEqual([1, 1, 1, 2, 5]);
  });

  it('counts a pod as the larger of its containers and its largest init container', () => {
    const item = budgetItem('x', 2, {
      containers: [small, small],
      initContainers: [
        { requests: { cpu: '1', memory: '128Mi' }, limits: { cpu: '2', memory: '2Gi' } },
      ],
    });
    expect(item.requests).toEqual({ cpu: 2 * 1000, memory: 2 * 512 });
    expect(item.limits).toEqual({ cpu: 2 * 2000, memory: 2 * 2048 });
    expect(item.largestContainer).toEqual({ cpu: 2000, memory: 2048 });
  });

  it('gives a blue-green service both colours at max scale with surge, and a migrate Job per colour', () => {
    const api = serviceDefinition('aia-api');
    const { maxReplicas } = api.scaling.production;
    const [deployments, jobs] = serviceBudgetItems(api, 'production');
    expect(deployments?.pods).toBe(2 * (maxReplicas + Math.ceil(maxReplicas / 4)));
    expect(jobs?.pods).toBe(2);
    expect(deployments?.requests.cpu).toBe((deployments?.pods ?? 0) * 1000);
  });

  it('renders the quota and a LimitRange whose max is never below its default', () => {
    const empty = namespaceBudget([]);
    expect(resourceQuotaSpec(empty).hard).toEqual({
      pods: '0',
      'requests.cpu': '0',
      'requests.memory': '0',
      'limits.cpu': '0',
      'limits.memory': '0',
    });
    expect(limitRangeSpec(empty.largestContainer).limits[0]?.max).toEqual({
      cpu: '500m',
      memory: '512Mi',
    });
    const budget = namespaceBudget([budgetItem('x', 3, { containers: [small] })]);
    expect(resourceQuotaSpec(budget).hard).toMatchObject({
      pods: '3',
      'requests.cpu': '750m',
      'limits.memory': '1536Mi',
    });
  });
});

describe('qosClass', () => {
  it('is Guaranteed when requests equal limits everywhere, however written', () => {
    const equal = {
      requests: { cpu: '2', memory: '8Gi' },
      limits: { cpu: '2000m', memory: '8192Mi' },
    };
    expect(qosClass({ containers: [{ resources: equal }] })).toBe('Guaranteed');
    expect(qosClass({ containers: [{ resources: { limits: equal.limits } }] })).toBe('Guaranteed');
  });

  it('is Burstable when one container requests less than its limit, BestEffort with nothing', () => {
    const equal = { requests: small.limits, limits: small.limits };
    expect(qosClass({ containers: [{ resources: equal }, { resources: small }] })).toBe(
      'Burstable',
    );
    expect(qosClass({ containers: [{}] })).toBe('BestEffort');
  });
});
