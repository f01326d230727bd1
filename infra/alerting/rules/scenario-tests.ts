import type { ServiceDefinition } from '../../../services/catalog.js';
import { num } from '../promql/index.js';
import type { ResolvedRuleOptions } from './alert-rules.js';
import { expectedAlert, SIDES } from './expected-alert.js';
import { labelled, minutes } from './fixtures.js';
import { dataStoreAlerts } from './platform-alerts.js';
import { DEPLOYMENT_VARIANTS, RULE_SETTINGS } from './settings.js';
import type { AlertingRule, InputSeries, PromtoolTestGroup } from './types.js';
import { workloadAlerts } from './workload-alerts.js';

type Labels = Readonly<Record<string, string>>;

/** A series holding `values` (one per minute, the last repeated up to `samples`). */
const series = (metric: string, labels: Labels, values: number[], samples: number): InputSeries => {
  const last = values.at(-1) ?? 0;
  const steps = values.slice(0, -1).map(num);
  return {
    series: labelled(metric, labels),
    values: [...steps, `${num(last)}+0x${samples - steps.length}`].join(' '),
  };
};

const ruleNamed = (rules: readonly AlertingRule[], name: string) => {
  const rule = rules.find((candidate) => candidate.alert === name);
  if (!rule) throw new Error(`no ${name} rule to test`);
  return rule;
};

/**
 * A group asserting, at minute `at`, which alerts fire with which labels. promtool checks all
 * alerts of a name at once, so rules sharing a name (one per service) share one assertion.
 */
function scenario(
  name: string,
  at: number,
  input: InputSeries[],
  expected: ReadonlyArray<readonly [AlertingRule, readonly Labels[]]>,
): PromtoolTestGroup {
  const names = [...new Set(expected.map(([rule]) => rule.alert))];
  return {
    name,
    interval: '1m',
    input_series: input,
    alert_rule_test: names.map((alertname) => ({
      eval_time: `${at}m`,
      alertname,
      exp_alerts: expected
        .filter(([rule]) => rule.alert === alertname)
        .flatMap(([rule, firing]) => firing.map((labels) => expectedAlert(rule, labels))),
    })),
  };
}

/** The Deployments (and scraped Services) of a service: one per colour when it rolls out blue-green. */
const deploymentNames = ({ name, rollout }: ServiceDefinition) =>
  rollout === 'blue-green' ? DEPLOYMENT_VARIANTS.map((colour) => `${name}-${colour}`) : [name];

/** Cloud SQL and Redis: unreachable when every dependent is unavailable, not when one is left. */
function unreachableTests({ catalog, namespaces }: ResolvedRuleOptions): PromtoolTestGroup[] {
  const namespace = namespaces.services;
  const rules = dataStoreAlerts(catalog, namespaces);
  const stores = ['CloudSqlUnreachable', 'RedisUnreachable']
    .map((alert) => rules.find((rule) => rule.alert === alert))
    .filter((rule): rule is AlertingRule => rule !== undefined);
  const at = minutes(RULE_SETTINGS.dataStoreFor) + 5;
  const [survivor] = Object.values(catalog).filter((d) => d.dataStores.includes('postgres'));
  return [undefined, survivor?.name].map((left) =>
    scenario(
      left ? `data stores reachable while ${left} is available` : 'data stores unreachable',
      at,
      Object.values(catalog).flatMap((definition) =>
        deploymentNames(definition).map((deployment) =>
          series(
            'kube_deployment_status_replicas_available',
            { namespace, deployment },
            [definition.name === left ? 1 : 0],
            at,
          ),
        ),
      ),
      stores.map((rule) => [rule, left ? [] : [{ namespace }]] as const),
    ),
  );
}

/** A rollout announces itself; an autoscaler's scale, which also bumps the generation, does not. */
function rolloutTest(service: string, scaled: string, namespace: string): PromtoolTestGroup {
  const rule = ruleNamed(workloadAlerts(service, namespace), 'DeploymentRolledOut');
  const at = 10;
  const change = Array.from({ length: 6 }, (_, minute) => (minute < 5 ? 1 : 2));
  const input = [service, scaled].flatMap((deployment) => {
    const replicas = deployment === scaled ? change.map((step) => step + 2) : [3];
    const labels = { namespace, deployment };
    return [
      series('kube_deployment_status_observed_generation', labels, change, at),
      series('kube_deployment_spec_replicas', labels, replicas, at),
      series('kube_deployment_status_replicas_updated', labels, replicas, at),
    ];
  });
  return scenario(`DeploymentRolledOut: ${service} rolls out, ${scaled} only scales`, at, input, [
    [rule, [{ namespace, deployment: service }]],
  ]);
}

/** Down when every target fails or none exists; the others answer. */
function serviceDownTest({ catalog, namespaces }: ResolvedRuleOptions): PromtoolTestGroup {
  const namespace = namespaces.services;
  const [absent, failing] = Object.keys(catalog);
  const at = minutes(RULE_SETTINGS.serviceDownFor) + 5;
  const input = Object.values(catalog)
    .filter(({ name }) => name !== absent)
    .flatMap((definition) =>
      deploymentNames(definition).map((target) =>
        series(
          'up',
          { namespace, service: target, job: target },
          [definition.name === failing ? 0 : 1],
          at,
        ),
      ),
    );
  return scenario(`ServiceDown: ${failing} fails its scrapes, ${absent} has no target`, at, input, [
    ...Object.keys(catalog).map(
      (service) =>
        [
          ruleNamed(workloadAlerts(service, namespace), 'ServiceDown'),
          service === absent || service === failing ? [{ namespace }] : [],
        ] as const,
    ),
  ]);
}

/** An unready running pod fires; a finished pod, unready by nature, does not. */
function podNotReadyTest(service: string, namespace: string): PromtoolTestGroup {
  const at = minutes(RULE_SETTINGS.podNotReadyFor) + 5;
  const pods = { running: `${service}-6c9d7f5b8-r2m4x`, finished: `${service}-6c9d7f5b8-f7k2p` };
  const input = Object.entries(pods).flatMap(([state, pod]) => [
    series('kube_pod_container_status_ready', { namespace, pod, container: service }, [0], at),
    ...['Pending', 'Running', 'Succeeded'].map((phase) =>
      series(
        'kube_pod_status_phase',
        { namespace, pod, phase },
        [phase === (state === 'running' ? 'Running' : 'Succeeded') ? 1 : 0],
        at,
      ),
    ),
  ]);
  return scenario(`PodNotReady: ${service}`, at, input, [
    [
      ruleNamed(workloadAlerts(service, namespace), 'PodNotReady'),
      [{ namespace, pod: pods.running }],
    ],
  ]);
}

/** Kafka lag just past its limit, with Neo4j and a broker down. */
function exporterTests({ catalog, namespaces }: ResolvedRuleOptions): PromtoolTestGroup[] {
  const rules = dataStoreAlerts(catalog, namespaces);
  const { kafka, neo4j } = RULE_SETTINGS;
  const at = minutes(kafka.lagFor) + 5;
  const lagLabels = { consumergroup: 'performance-tracker', topic: 'aia.ledger.transfers.v1' };
  const broker = 'aia-dual-role-1';
  const set = { namespace: namespaces.data, statefulset: neo4j.statefulSet };
  return SIDES.map(({ side, factor, fires }) => {
    const lag = kafka.consumerLagMessages * factor;
    const input = [
      ...[0, 1].map((partition) =>
        series(
          'kafka_consumergroup_lag',
          { namespace: namespaces.kafka, ...lagLabels, partition: String(partition) },
          [lag / 2],
          at,
        ),
      ),
      series('kube_statefulset_replicas', set, [1], at),
      series('kube_statefulset_status_replicas_ready', set, [fires ? 0 : 1], at),
      series(
        'kube_pod_status_ready',
        { namespace: namespaces.kafka, pod: broker, condition: 'false' },
        [fires ? 1 : 0],
        at,
      ),
    ];
    const when = (labels: Labels) => (fires ? [labels] : []);
    return scenario(`exporter alerts just ${side} their limits`, at, input, [
      [
        ruleNamed(rules, 'KafkaConsumerLagHigh'),
        when({ namespace: namespaces.kafka, ...lagLabels }),
      ],
      [ruleNamed(rules, 'Neo4jUnavailable'), when(set)],
      [ruleNamed(rules, 'KafkaBrokerNotReady'), when({ namespace: namespaces.kafka, pod: broker })],
    ]);
  });
}

/** Fixed scenarios for the alerts whose limits are not catalog thresholds. */
export function scenarioTests(options: ResolvedRuleOptions): PromtoolTestGroup[] {
  const services = Object.keys(options.catalog);
  const [first, second] = services;
  const namespace = options.namespaces.services;
  return [
    ...unreachableTests(options),
    ...(first && second ? [rolloutTest(first, second, namespace), serviceDownTest(options)] : []),
    ...(first ? [podNotReadyTest(first, namespace)] : []),
    ...exporterTests(options),
  ];
}
