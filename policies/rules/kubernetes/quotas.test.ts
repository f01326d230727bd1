import { describe, expect, it } from 'vitest';
import { messagesOf, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { namespaceQuotaFits } from './quotas.js';
import {
  cronJob,
  deployment,
  FITTING_QUOTA,
  hardenedPodSpec,
  hpa,
  job,
  limitRange,
  namespace,
  podSpecWith,
  resourceQuota,
  TYPES,
  urnOf,
} from './test-fixtures.js';

const check = (resources: Parameters<typeof violationsOf>[1]) =>
  violationsOf([namespaceQuotaFits], resources);

describe('k8s-namespace-quota-fits', () => {
  it('accepts a quota that holds the Deployment at its HPA maximum plus the surge', async () => {
    expect(await check([namespace(), deployment(), hpa(), resourceQuota(), limitRange()])).toEqual(
      [],
    );
  });

  it('fails a quota one surge pod short, with the arithmetic in the message', async () => {
    const short = { ...FITTING_QUOTA, pods: '7', 'requests.cpu': '1750m' };
    const violations = await check([
      namespace(),
      deployment(),
      hpa(),
      resourceQuota(short),
      limitRange(),
    ]);
    expect(violations.map((v) => v.urn)).toEqual([
      urnOf(TYPES.resourceQuota, 'apps-quota'),
      urnOf(TYPES.resourceQuota, 'apps-quota'),
    ]);
    expect(messagesOf(violations)).toEqual([
      "ResourceQuota apps/compute allows pods 7 but the namespace's workloads need 8 at max scale (Deployment apps/economic-governor: 8 pods 8): raise spec.hard['pods'] to at least 8, or pods are refused mid-rollout.",
      "ResourceQuota apps/compute allows requests.cpu 1750m but the namespace's workloads need 2000m at max scale (Deployment apps/economic-governor: 8 pods 2000m): raise spec.hard['requests.cpu'] to at least 2000m, or pods are refused mid-rollout.",
    ]);
  });

  it('counts a migrate Job beside the Deployment', async () => {
    const violations = await check([
      namespace(),
      deployment(),
      hpa(),
      job(hardenedPodSpec()),
      resourceQuota(),
      limitRange(),
    ]);
    expect(messagesOf(violations)).toContain(
      "ResourceQuota apps/compute allows pods 8 but the namespace's workloads need 9 at max scale (Deployment apps/economic-governor: 8 pods 8; Job apps/economic-governor-migrate: 1 pod 1): raise spec.hard['pods'] to at least 9, or pods are refused mid-rollout.",
    );
  });

  it('counts a container without resources at the LimitRange defaults', async () => {
    // The app container loses its resources; the init container (250m / 1 CPU) still bounds it.
    const spec = podSpecWith((pod, app) => {
      delete app.resources;
      pod.initContainers = [];
    });
    const quota = { ...FITTING_QUOTA, 'requests.cpu': '799m' };
    const violations = await check([
      namespace(),
      deployment(spec),
      hpa(),
      resourceQuota(quota),
      limitRange(),
    ]);
    expect(messagesOf(violations)).toEqual([
      "ResourceQuota apps/compute allows requests.cpu 799m but the namespace's workloads need 800m at max scale (Deployment apps/economic-governor: 8 pods 800m): raise spec.hard['requests.cpu'] to at least 800m, or pods are refused mid-rollout.",
    ]);
  });

  it('counts a CronJob twice unless it forbids overlapping runs', async () => {
    const backup = cronJob(hardenedPodSpec());
    const quota = { pods: '1' };
    const violations = await check([
      namespace('data'),
      backup,
      resourceQuota(quota, 'data'),
      limitRange('data'),
    ]);
    expect(messagesOf(violations)).toEqual([
      "ResourceQuota data/compute allows pods 1 but the namespace's workloads need 2 at max scale (CronJob data/neo4j-backup: 2 pods 2): raise spec.hard['pods'] to at least 2, or pods are refused mid-rollout.",
    ]);
  });

  it('fails a namespace of the stack that runs workloads without a quota or a LimitRange', async () => {
    const violations = await check([namespace(), deployment(), hpa()]);
    expect(violations.map((v) => [v.urn, v.message.split(':')[0]])).toEqual([
      [urnOf(TYPES.namespace, 'apps'), 'Namespace apps runs workloads but has no ResourceQuota'],
      [urnOf(TYPES.namespace, 'apps'), 'Namespace apps runs workloads but has no LimitRange'],
    ]);
  });

  it('leaves alone a namespace without workloads', async () => {
    expect(await check([namespace('ingress')])).toEqual([]);
  });
});
