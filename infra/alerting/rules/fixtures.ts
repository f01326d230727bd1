import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import { HTTP_DURATION_BUCKETS } from '../../../services/platform/metrics.js';
import { num, select, str } from '../promql/index.js';
import { RATIO_SOURCES, type RatioSignal, type Signal } from './signals.js';
import type { InputSeries } from './types.js';

/** Events per minute in the fixtures: large, so integer counts hit a share to 5 digits. */
const EVENTS_PER_MINUTE = 100_000;

const UNITS: Readonly<Record<string, number>> = { s: 1 / 60, m: 1, h: 60, d: 1440 };

/** `15m` → 15, `1h` → 60, `3d` → 4320: the fixtures step one minute at a time. */
export function minutes(duration: string): number {
  const match = /^(\d+)([smhd])$/.exec(duration);
  if (!match) throw new Error(`unsupported duration ${duration}: use a number of s, m, h or d`);
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

const QUANTITY = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/;
const FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  m: 0.001,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity as kube-state-metrics reports it: `2Gi` → bytes, `500m` → cores. */
function quantity(value: string): number {
  const match = QUANTITY.exec(value);
  if (!match) throw new Error(`unsupported quantity ${value}: use m, Ki, Mi, Gi or Ti`);
  return Number(match[1]) * (FACTORS[match[2] ?? ''] as number);
}

/** `start+step x count`: a series sampled `count + 1` times, one step apart. */
const ramp = (perMinute: number, samples: number) => `0+${num(perMinute)}x${samples}`;
const flat = (value: number, samples: number) => `${num(value)}+0x${samples}`;

/** `metric{name="value", ...}`. */
export const labelled = (metric: string, labels: Readonly<Record<string, string>>) =>
  select(
    metric,
    Object.entries(labels).map(([name, value]) => `${name}=${str(value)}`),
  );

/** A fixture: input series and the labels the alert's expression yields from them. */
export interface Fixture {
  readonly input: readonly InputSeries[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface FixtureArgs {
  readonly definition: ServiceDefinition;
  readonly stack: StackName;
  readonly namespace: string;
  /** The value the alert compares: a share (0.051) or seconds (2.04). */
  readonly value: number;
  readonly samples: number;
}

/** Failures and successes per minute making up `value` of the events, in whole events. */
function ratioCounts(value: number): { failures: number; successes: number } {
  const failures = Math.round(value * EVENTS_PER_MINUTE);
  return { failures, successes: EVENTS_PER_MINUTE - failures };
}

/** The service's series as Prometheus labels them; a blue-green colour's Service, if `colour`. */
export const scrapeLabels = (service: string, namespace: string, colour?: string) => ({
  namespace,
  service: colour ? `${service}-${colour}` : service,
  job: colour ? `${service}-${colour}` : service,
  exported_service: service,
});

/** A failure counter and a success counter at constant rates: `value` of the events fail. */
function ratioSeries(
  signal: RatioSignal,
  args: FixtureArgs,
  colours: readonly (string | undefined)[] = [undefined],
): InputSeries[] {
  const source = RATIO_SOURCES[signal];
  const { failures, successes } = ratioCounts(args.value);
  return colours.flatMap((colour) => {
    const base = scrapeLabels(args.definition.name, args.namespace, colour);
    return [
      { [source.label]: source.failure, perMinute: failures },
      { [source.label]: source.success, perMinute: successes },
    ].map(({ perMinute, ...labels }) => ({
      series: labelled(source.metric, { ...base, ...labels }),
      values: ramp(perMinute / colours.length, args.samples),
    }));
  });
}

/**
 * Cumulative bucket counts whose p95 is `value`: a share `c` of requests at or below the
 * boundary under `value`, a share `d` at or below the one above, the rest above that.
 */
function latencySeries(args: FixtureArgs): InputSeries[] {
  const bounds = [0, ...HTTP_DURATION_BUCKETS];
  const upper = bounds.findIndex((bound) => bound >= args.value);
  if (upper < 2) {
    throw new Error(
      `no fixture for a p95 of ${args.value}s: it must lie between ${bounds[1]}s and ${bounds.at(-1)}s, the histogram's buckets`,
    );
  }
  const lo = bounds[upper - 1] as number;
  const hi = bounds[upper] as number;
  const t = (args.value - lo) / (hi - lo);
  const below = t <= 0.95 ? (0.95 - t) / (1 - t) : 0;
  const within = t <= 0.95 ? 1 : 0.95 / t;
  const cumulative = (bound: number) => (bound <= lo ? below : bound <= hi ? within : 1);
  const base = scrapeLabels(args.definition.name, args.namespace);
  return [
    ...HTTP_DURATION_BUCKETS.map((bound) => [String(bound), bound] as const),
    ['+Inf', Infinity] as const,
  ].map(([le, bound]) => ({
    series: labelled('http_request_duration_seconds_bucket', {
      ...base,
      le,
      method: 'GET',
      route: '/',
    }),
    values: ramp(Math.round(cumulative(bound) * EVENTS_PER_MINUTE), args.samples),
  }));
}

const POD_SUFFIX = '7d9f8c6b5d-x2k4q';

/** A container using `value` of its catalog limit, and the limit as kube-state-metrics reports it. */
function resourceSeries(resource: 'memory' | 'cpu', args: FixtureArgs): Fixture {
  const { name } = args.definition;
  const container = { namespace: args.namespace, pod: `${name}-${POD_SUFFIX}`, container: name };
  const limit = quantity(args.definition.resources[args.stack].limits[resource]);
  const usage =
    resource === 'memory'
      ? {
          series: labelled('container_memory_working_set_bytes', container),
          values: flat(args.value * limit, args.samples),
        }
      : {
          series: labelled('container_cpu_usage_seconds_total', container),
          values: ramp(args.value * limit * 60, args.samples),
        };
  const unit = resource === 'memory' ? 'byte' : 'core';
  return {
    input: [
      usage,
      {
        series: labelled('kube_pod_container_resource_limits', { ...container, resource, unit }),
        values: flat(limit, args.samples),
      },
    ],
    labels: container,
  };
}

/** Input series that make `signal` read `value`, and the labels of the alert they raise. */
export function signalFixture(signal: Signal, args: FixtureArgs): Fixture {
  if (signal === 'memory' || signal === 'cpu') return resourceSeries(signal, args);
  const labels = { namespace: args.namespace, service: args.definition.name };
  if (signal === 'latency') return { input: latencySeries(args), labels };
  return { input: ratioSeries(signal, args), labels };
}
