import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  NAMESPACE_CONCERNS,
  type QosClass,
  qosClass,
  resourceQuotaSpec,
  stackBudgets,
  surgePods,
} from '../../infra/components/resource-quotas/index.js';
import { loadStackConfig } from '../../infra/config.js';
import { podTemplateOf } from '../../policies/rules/kubernetes/pod-templates.js';
import { type StackName, serviceDefinition, serviceNames } from '../../services/catalog.js';
import type { Plan } from '../../tools/plan/run-plan.js';
import { redactSecrets } from '../../tools/plan/secrets.js';
import { checkPlan } from '../../tools/policy-check/check.js';
import { planStack, queries, repositoryRoot } from '../harness/plan-queries.js';

const DOC = readFileSync(join(repositoryRoot, 'docs/resource-management.md'), 'utf8');
const QUOTA_KEYS = ['pods', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** The docs' table of a stack's quotas, rendered from the plan's ResourceQuotas. */
export function quotaTable(plan: Plan): string {
  const q = queries(plan);
  const rows = q.ofType('kubernetes:core/v1:ResourceQuota').map((resource) => {
    const { metadata, spec } = q.inputsOf(resource);
    return `| \`${metadata.namespace}\` | ${QUOTA_KEYS.map((key) => spec.hard[key]).join(' | ')} |`;
  });
  return [
    `| namespace | ${QUOTA_KEYS.join(' | ')} |`,
    `| --- | ${QUOTA_KEYS.map(() => '---:').join(' | ')} |`,
    ...rows,
  ].join('\n');
}

/** The docs' stated QoS classes: each row's backticked name patterns, first match wins. */
function statedClasses(): { patterns: RegExp[]; qos: QosClass }[] {
  const section = DOC.split('## QoS classes')[1]?.split('\n## ')[0] ?? '';
  return section.split('\n').flatMap((line) => {
    const match = /^\| (.+?) \| (Guaranteed|Burstable|BestEffort) \|/.exec(line);
    if (!match?.[1] || !match[2]) return [];
    const patterns = [...match[1].matchAll(/`([^`]+)`/g)].map(
      ([, glob]) => new RegExp(`^${String(glob).replaceAll('*', '.*')}$`),
    );
    return [{ patterns, qos: match[2] as QosClass }];
  });
}

/** The plan's pods whose resources it shows: its workloads, Neo4j's chart values, Kafka's brokers. */
type PlannedPod = { name: string; spec: Parameters<typeof qosClass>[0] };

function plannedPods(plan: Plan): PlannedPod[] {
  const q = queries(plan);
  return plan.resources.flatMap<PlannedPod>((resource) => {
    const inputs = q.inputsOf(resource);
    const template = podTemplateOf(resource.type, inputs, resource.name);
    if (template) return [{ name: String(inputs.metadata?.name), spec: template.spec }];
    if (resource.type === 'kubernetes:kafka.strimzi.io/v1:KafkaNodePool') {
      return [
        {
          name: String(inputs.metadata.name),
          spec: { containers: [{ resources: inputs.spec.resources }] },
        },
      ];
    }
    if (resource.type === 'kubernetes:helm.sh/v3:Release' && inputs.name === 'neo4j') {
      // The chart sets the server's requests and limits both to `neo4j.resources`.
      const size = inputs.values.neo4j.resources;
      return [
        { name: 'neo4j', spec: { containers: [{ resources: { requests: size, limits: size } }] } },
      ];
    }
    return [];
  });
}

/** The resource-management checks on the offline plan of `stack` (one stack per test file). */
export function resourceManagementSuite(stack: StackName): void {
  let plan: Plan;
  let q: ReturnType<typeof queries>;
  beforeAll(async () => {
    plan = await planStack(stack);
    q = queries(plan);
  });

  describe(`resource management on the ${stack} plan`, () => {
    it('gives every owned namespace a quota equal to its derived budget, and a LimitRange', () => {
      const { config } = loadStackConfig();
      const budgets = stackBudgets(stack, serviceNames.map(serviceDefinition), config.workloads);
      const namespaceNames = {
        services: config.services.namespace,
        data: 'data',
        kafka: 'kafka',
        monitoring: 'monitoring',
        ingress: 'ingress',
      };
      const quotas = q.ofType('kubernetes:core/v1:ResourceQuota').map(q.inputsOf);
      const ranges = q.ofType('kubernetes:core/v1:LimitRange').map(q.inputsOf);
      for (const concern of NAMESPACE_CONCERNS) {
        const namespace = namespaceNames[concern];
        const quota = quotas.find((found) => found.metadata.namespace === namespace);
        expect(quota?.spec, namespace).toEqual(resourceQuotaSpec(budgets[concern]));
        expect(
          ranges.some((found) => found.metadata.namespace === namespace),
          namespace,
        ).toBe(true);
      }
    });

    it('quotes the quotas in docs/resource-management.md as the plan renders them', () => {
      expect(DOC).toContain(`### ${stack}\n\n${quotaTable(plan)}\n`);
    });

    it('watches every service Deployment, both colours, with a VPA in recommendation mode', () => {
      const vpas = q
        .ofType('kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler')
        .map(q.inputsOf);
      const deployments = q.ofType('kubernetes:apps/v1:Deployment').map(q.inputsOf);
      expect(deployments.map((d) => d.metadata.name)).toEqual(
        expect.arrayContaining(['aia-api-blue', 'aia-api-green', 'economic-governor']),
      );
      for (const deployment of deployments) {
        const vpa = vpas.find((found) => found.spec.targetRef.name === deployment.metadata.name);
        expect(vpa?.spec.updatePolicy, deployment.metadata.name).toEqual({ updateMode: 'Off' });
      }
      expect(q.one('gcp:container/cluster:Cluster').verticalPodAutoscaling).toEqual({
        enabled: true,
      });
    });

    it('runs every pod it shows in the QoS class the docs state', () => {
      const stated = statedClasses();
      const pods = plannedPods(plan);
      expect(pods.length).toBeGreaterThan(serviceNames.length);
      for (const pod of pods) {
        const row = stated.find(({ patterns }) => patterns.some((p) => p.test(pod.name)));
        expect({ pod: pod.name, qos: qosClass(pod.spec) }).toEqual({
          pod: pod.name,
          qos: row?.qos,
        });
      }
    });

    it('passes the quota and VPA policies, and fails them with a quota one pod short of the service pods in the plan or a VPA gone', async () => {
      const resources = plan.resources.map((r) => ({
        ...r,
        inputs: redactSecrets(r.inputs) as Record<string, unknown>,
      }));
      const policiesOf = async (input: typeof resources) =>
        (await checkPlan(stack, input)).violations
          .map((v) => v.policy)
          .filter(
            (policy) => policy === 'k8s-namespace-quota-fits' || policy === 'k8s-deployment-vpa',
          );
      expect(await policiesOf(resources)).toEqual([]);

      // What the plan's own service pods need: every HPA's ceiling with its surge, every Job.
      const quota = resources.find((r) => r.name.endsWith('limits-services-quota'));
      const namespace = q.inputsOf(quota).metadata.namespace;
      const inServices = (type: string) =>
        q
          .ofType(type)
          .map(q.inputsOf)
          .filter((o) => o.metadata.namespace === namespace);
      const needed =
        inServices('kubernetes:autoscaling/v2:HorizontalPodAutoscaler').reduce(
          (sum, hpa) => sum + hpa.spec.maxReplicas + surgePods(hpa.spec.maxReplicas),
          0,
        ) + inServices('kubernetes:batch/v1:Job').length;
      const withPods = (pods: number) =>
        resources.map((r) => {
          if (!r.name.endsWith('limits-services-quota')) return r;
          const spec = r.inputs.spec as { hard: Record<string, string> };
          return {
            ...r,
            inputs: { ...r.inputs, spec: { hard: { ...spec.hard, pods: String(pods) } } },
          };
        });
      expect(await policiesOf(withPods(needed))).toEqual([]);
      expect(await policiesOf(withPods(needed - 1))).toEqual(['k8s-namespace-quota-fits']);
      const withoutVpa = resources.filter((r) => !r.name.endsWith('economic-governor-default-vpa'));
      expect(await policiesOf(withoutVpa)).toEqual(['k8s-deployment-vpa']);
    });
  });
}
